import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * App setting the Functions host reads for its request body limit (bytes), and the host's default
 * when it is not set: 104,857,600 bytes (100 MB). Sources: azure-functions-host
 * src/WebJobs.Script.WebHost/Middleware/HttpRequestSizeMiddleware.cs (DefaultRequestBodySize, set on
 * IHttpMaxRequestBodySizeFeature, i.e. Kestrel's MaxRequestBodySize) and the HTTP trigger docs
 * ("The HTTP request length is limited to 100 MB (104,857,600 bytes)").
 */
export const BODY_SIZE_LIMIT_SETTING = 'FUNCTIONS_REQUEST_BODY_SIZE_LIMIT';
export const DEFAULT_MAX_REQUEST_BODY_BYTES = 104_857_600;

/** A body over the limit (Kestrel: BadHttpRequestException, 413 Request Entity Too Large). */
export class RequestBodyTooLargeError extends Error {
  override readonly name = 'RequestBodyTooLargeError';
}

/**
 * Reads a request body of at most `limit` bytes (undefined: no limit, as the Durable extension's
 * worker-only RPC listener has none). A declared Content-Length over the limit fails before a byte
 * is read; a chunked body fails as soon as the bytes received pass the limit, and the rest is not
 * read (see `refuseTooLarge`).
 */
export function readRequestBody(req: IncomingMessage, limit: number | undefined, res?: ServerResponse): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (limit !== undefined && Number.isFinite(declared) && declared > limit) {
    return Promise.reject(new RequestBodyTooLargeError(`request body of ${declared} bytes is over the ${limit}-byte limit`));
  }
  // `Expect: 100-continue`: the client sends the body only once told to, which is now (as Kestrel
  // answers 100 Continue when the app starts reading the body); a refused body is never sent.
  if (res && !res.headersSent && /^100-continue$/i.test(String(req.headers.expect ?? ''))) res.writeContinue();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const onData = (chunk: Buffer): void => {
      received += chunk.length;
      if (limit !== undefined && received > limit) {
        cleanup();
        req.pause();
        reject(new RequestBodyTooLargeError(`request body over the ${limit}-byte limit`));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, received));
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', onError);
  });
}

/**
 * Answers 413 with `Connection: close`: Node ends the socket once the answer is written, so the
 * unread rest of the body is dropped with the connection instead of being read.
 */
export function refuseTooLarge(req: IncomingMessage, res: ServerResponse): void {
  if (res.headersSent) {
    req.destroy();
    return;
  }
  res.shouldKeepAlive = false;
  res.writeHead(413, { 'content-length': '0', connection: 'close' });
  res.end();
}

/** Parses the limit setting once: a whole number of bytes > 0, or the host's default when unset. */
export function parseBodySizeLimit(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return DEFAULT_MAX_REQUEST_BODY_BYTES;
  const bytes = Number(raw);
  if (!Number.isSafeInteger(bytes) || bytes <= 0) throw new Error(`${BODY_SIZE_LIMIT_SETTING} must be a whole number of bytes > 0, got "${raw}"`);
  return bytes;
}
