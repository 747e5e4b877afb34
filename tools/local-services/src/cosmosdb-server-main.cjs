// Runs @vercel/cosmosdb-server over plain HTTP on <host> <port>, with keep-alive. Its own CLI
// answers every request with `Connection: close`, so every client opened a TCP connection per
// request (the ingestion host ~0.4 a stored event); Azure's Cosmos DB gateway keeps them open.
//
// It also checks what Azure checks and the package does not: every request must carry a master-key
// signature made with this server's key (COSMOS_SERVER_KEY in the environment, never argv, where
// `ps` would show it). Without it any local process, or any web page (a "simple" cross-site POST
// needs no preflight), could read and write device state.
'use strict';
const crypto = require('node:crypto');
const { createHttpServer } = require('@vercel/cosmosdb-server');

const [host, port] = process.argv.slice(2);
const masterKey = process.env.COSMOS_SERVER_KEY;
if (!masterKey) {
  console.error('COSMOS_SERVER_KEY is not set: the server would accept any request');
  process.exit(2);
}
const keyBytes = Buffer.from(masterKey, 'base64');

/**
 * The resource type and resource link Cosmos DB signs for a request path (the REST API's
 * "Access control" rule): `/dbs/a/colls/b/docs/c` is a `docs` resource `dbs/a/colls/b/docs/c`;
 * a feed such as `/dbs/a/colls/b/docs` is `docs` of its parent `dbs/a/colls/b`; `/` is neither.
 */
function resourceOf(pathname) {
  const segments = pathname.split('/').filter((s) => s !== '');
  if (segments.length === 0) return { type: '', links: [''] };
  const even = segments.length % 2 === 0;
  const type = even ? segments[segments.length - 2] : segments[segments.length - 1];
  const raw = (even ? segments : segments.slice(0, -1)).join('/');
  let decoded = raw;
  try {
    decoded = (even ? segments : segments.slice(0, -1)).map((s) => decodeURIComponent(s)).join('/');
  } catch {
    // not percent-decodable: the raw link is the only candidate
  }
  const links = [...new Set([raw, decoded, type.toLowerCase() === 'offers' ? decoded.toLowerCase() : decoded])];
  return { type, links };
}

function signatureOf(verb, type, link, date) {
  const text = `${verb.toLowerCase()}\n${type.toLowerCase()}\n${link}\n${date.toLowerCase()}\n\n`;
  return crypto.createHmac('sha256', keyBytes).update(text, 'utf8').digest();
}

/** Whether the request carries a valid master-key signature; the reason when not. */
function refusal(req) {
  let auth = '';
  try {
    auth = decodeURIComponent(String(req.headers['authorization'] ?? ''));
  } catch {
    return 'the authorization header is not URL-encoded';
  }
  const match = /^type=master&ver=1\.0&sig=([A-Za-z0-9+/=]+)$/.exec(auth);
  if (!match) return 'a master-key authorization token is required';
  const date = String(req.headers['x-ms-date'] ?? req.headers['date'] ?? '');
  if (date === '') return 'x-ms-date is required';
  const given = Buffer.from(match[1], 'base64');
  const { pathname } = new URL(req.url ?? '/', 'http://cosmos');
  const { type, links } = resourceOf(pathname);
  for (const link of links) {
    const expected = signatureOf(req.method ?? 'GET', type, link, date);
    if (expected.length === given.length && crypto.timingSafeEqual(expected, given)) return undefined;
  }
  return 'the MAC signature found in the HTTP request is not the same as the computed signature';
}

const server = createHttpServer({ keepAlive: true });
const handlers = server.listeners('request');
server.removeAllListeners('request');
server.on('request', (req, res) => {
  const reason = refusal(req);
  if (reason) {
    req.resume();
    res.writeHead(401, { 'content-type': 'application/json', 'x-ms-activity-id': crypto.randomUUID() });
    res.end(JSON.stringify({ code: 'Unauthorized', message: `The input authorization token can't serve the request: ${reason}.` }));
    return;
  }
  for (const handler of handlers) handler.call(server, req, res);
});
// Idle connections stay open for minutes, as the gateway's do: a client reusing a socket just as
// the server drops it (Node's default is 5 s idle) would see ECONNRESET on a healthy service.
server.keepAliveTimeout = 240_000;
server.listen(Number(port), host, () => {
  console.log(`Ready to accept HTTP connections at ${host}:${server.address().port}`);
});
