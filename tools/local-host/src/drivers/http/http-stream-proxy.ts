import { request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { Transform } from 'node:stream';
import type { RpcTypedData } from '../../core/core-types';
import { RequestBodyTooLargeError } from './request-body';

/** Header the @azure/functions HTTP proxy matches requests and invocations by (src/http/httpProxy.ts). */
export const INVOCATION_ID_HEADER = 'x-ms-invocation-id';

/**
 * HTTP streaming (`app.setup({ enableHttpStream: true })`, host >= 4.28): the library starts its own
 * HTTP server and reports it as the `HttpUri` capability; the host then forwards the request there,
 * tagged with the invocation id and `x-forwarded-host` / `x-forwarded-proto`, while the invocation's
 * trigger metadata carries `Headers`, `Query` and the route parameters (the library builds the
 * request from the proxied stream plus that metadata, createStreamRequest); the function's response
 * comes back on that proxied request, body streamed. (@azure/functions src/http/httpProxy.ts,
 * src/http/HttpRequest.ts; azure-functions-host HttpProxyService / DefaultHttpProxyService.)
 */
export function streamTriggerMetadata(req: IncomingMessage, url: URL, params: Record<string, string>): Record<string, RpcTypedData> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  const metadata: Record<string, RpcTypedData> = { Headers: { json: JSON.stringify(headers) }, Query: { json: JSON.stringify(query) } };
  for (const [name, value] of Object.entries(params)) metadata[name] = { string: value };
  return metadata;
}

/** Counts body bytes on their way to the worker; past the limit the request fails as Kestrel's would (413). */
function limitBytes(limit: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limit) callback(new RequestBodyTooLargeError(`request body over ${limit} bytes`));
      else callback(null, chunk);
    },
  });
}

export interface ProxiedRequest {
  /** Resolves once the worker's response has been streamed to the client (or the request failed). */
  done: Promise<void>;
  /** Gives up on the worker's response (the invocation failed without answering). */
  abort(): void;
}

/**
 * Forwards the client's request to the worker's proxy (`proxyUri`) and streams the worker's
 * response back. Hop-by-hop headers stay out in both directions; the invocation id header is the
 * host's and worker's business, not the client's.
 */
export function forwardToWorker(req: IncomingMessage, res: ServerResponse, url: URL, proxyUri: string, invocationId: string, maxBodyBytes: number): ProxiedRequest {
  const target = new URL(proxyUri);
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || /^(connection|keep-alive|transfer-encoding|upgrade|expect|host)$/i.test(name)) continue;
    headers[name] = value;
  }
  headers[INVOCATION_ID_HEADER] = invocationId;
  headers['x-forwarded-host'] = url.host;
  headers['x-forwarded-proto'] = url.protocol.replace(/:$/, '');
  const upstream = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: `${url.pathname}${url.search}`, headers });
  const done = new Promise<void>((resolve) => {
    upstream.on('response', (workerRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(workerRes.headers)) {
        if (value === undefined || name === INVOCATION_ID_HEADER || /^(connection|keep-alive|transfer-encoding)$/i.test(name)) continue;
        out[name] = value;
      }
      res.writeHead(workerRes.statusCode ?? 200, out);
      workerRes.pipe(res);
      workerRes.once('end', () => resolve());
      workerRes.once('error', () => resolve());
    });
    let answered = false;
    upstream.once('response', () => (answered = true));
    upstream.once('error', () => resolve());
    upstream.once('close', () => {
      if (!answered) resolve();
    });
  });
  if (req.headers.expect === '100-continue') res.writeContinue();
  const limiter = limitBytes(maxBodyBytes);
  limiter.once('error', (error) => {
    upstream.destroy();
    if (!res.headersSent) res.writeHead(413, { 'content-length': '0', connection: 'close' }).end();
    req.destroy(error);
  });
  req.pipe(limiter).pipe(upstream);
  // A client that goes away mid-stream: the worker's side is torn down too, so the function's
  // stream read fails instead of waiting forever.
  res.once('close', () => {
    if (!res.writableFinished) upstream.destroy();
  });
  return { done, abort: () => upstream.destroy() };
}
