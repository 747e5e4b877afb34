import type { IncomingMessage, Server as HttpServer, ServerResponse } from 'node:http';
import { Server } from 'node:net';
import { INVOCATION_ID_HEADER } from './http-stream-proxy';

/**
 * The worker-side HTTP server @azure/functions starts for `enableHttpStream` (its `HttpUri`
 * capability). Tracks which invocations it answered: the library answers on the proxied request
 * only when the function returned a response, so a function that returned nothing gets the
 * host's default (200, empty) instead of a request left hanging.
 */
export class WorkerHttpProxy {
  private readonly responses = new Map<string, ServerResponse>();

  constructor(
    readonly uri: string,
    server: HttpServer,
  ) {
    server.on('request', (req: IncomingMessage, res: ServerResponse) => {
      const id = req.headers[INVOCATION_ID_HEADER];
      if (typeof id !== 'string') return;
      this.responses.set(id, res);
      res.once('close', () => this.responses.delete(id));
    });
  }

  /** True when the worker has started (or finished) its response for the invocation. */
  answered(invocationId: string): boolean {
    const res = this.responses.get(invocationId);
    return res !== undefined && (res.headersSent || res.writableEnded);
  }
}

/**
 * Runs `fn` (the programming model's getCapabilities) with `listen()` calls that name no host bound
 * to 127.0.0.1: the library's proxy calls `server.listen(cb)`, which would listen on every
 * interface, and nothing here may listen beyond loopback. Returns the servers that listened.
 */
export async function withLoopbackListen<T>(fn: () => Promise<T>): Promise<{ result: T; servers: Server[] }> {
  const servers: Server[] = [];
  const original = Server.prototype.listen;
  const listen = original as (this: Server, ...args: unknown[]) => Server;
  const patched = function (this: Server, ...args: unknown[]): Server {
    servers.push(this);
    if (args.length === 0 || typeof args[0] === 'function') return listen.call(this, 0, '127.0.0.1', ...args);
    if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) return listen.call(this, args[0], '127.0.0.1', ...args.slice(1));
    return listen.apply(this, args);
  };
  Server.prototype.listen = patched as typeof Server.prototype.listen;
  try {
    return { result: await fn(), servers };
  } finally {
    Server.prototype.listen = original;
  }
}
