// Runs @vercel/cosmosdb-server over plain HTTP on <host> <port>, with keep-alive. Its own CLI
// answers every request with `Connection: close`, so every client opened a TCP connection per
// request (the ingestion host ~0.4 a stored event); Azure's Cosmos DB gateway keeps them open.
'use strict';
const { createHttpServer } = require('@vercel/cosmosdb-server');

const [host, port] = process.argv.slice(2);
const server = createHttpServer({ keepAlive: true });
// Idle connections stay open for minutes, as the gateway's do: a client reusing a socket just as
// the server drops it (Node's default is 5 s idle) would see ECONNRESET on a healthy service.
server.keepAliveTimeout = 240_000;
server.listen(Number(port), host, () => {
  console.log(`Ready to accept HTTP connections at ${host}:${server.address().port}`);
});
