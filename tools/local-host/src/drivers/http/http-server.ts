import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from '../../admin/admin-api';
import type { HostControl } from '../../admin/host-control';
import { toError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { grantedLevel, isAuthorized, type AuthLevel, type HostKeys } from './host-keys';
import type { HttpRouter } from './http-router';

export interface HostHttpServerOptions {
  port: number;
  routePrefix: string;
  keys: HostKeys;
  router: HttpRouter;
  control: HostControl;
  logger: Logger;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** Serves extra host paths (e.g. Durable's `/durabletask/` and `/runtime/webhooks/durabletask/`); true when handled. */
export type HttpServerExtension = (request: { req: IncomingMessage; res: ServerResponse; url: URL; granted: AuthLevel }) => Promise<boolean>;

const empty = (res: ServerResponse, status: number): void => void res.writeHead(status, { 'content-length': '0' }).end();

/** The host's single HTTP server on 127.0.0.1: functions under the route prefix, `/admin/*`. */
export class HostHttpServer {
  private server?: Server;
  private baseUrlValue = '';
  private readonly extensions: HttpServerExtension[] = [];

  constructor(private readonly options: HostHttpServerOptions) {}

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  addExtension(extension: HttpServerExtension): void {
    this.extensions.push(extension);
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.dispatch(req, res).catch((thrown: unknown) => {
        this.options.logger.log({ level: 'error', message: 'http request failed', fields: { error: toError(thrown).message } });
        if (!res.headersSent) empty(res, 500);
        else res.end();
      });
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.baseUrlValue = `http://127.0.0.1:${port}`;
    return this.baseUrlValue;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { keys, routePrefix, router, control } = this.options;
    const url = new URL(req.url ?? '/', this.baseUrlValue);
    const header = req.headers['x-functions-key'];
    const granted = grantedLevel(keys, Array.isArray(header) ? header[0] : header, url.searchParams.get('code'));
    const path = url.pathname;
    if (path === '/' || path === '') return empty(res, 200);
    for (const extension of this.extensions) if (await extension({ req, res, url, granted })) return;
    if (/^\/admin(\/|$)/i.test(path)) {
      if (granted !== 'admin') return empty(res, 401);
      return handleAdminRequest(control, req, res, path);
    }
    const prefix = routePrefix.replace(/^\/+|\/+$/g, '');
    let below = path;
    if (prefix) {
      const head = `/${prefix}`;
      if (path.toLowerCase() !== head.toLowerCase() && !path.toLowerCase().startsWith(`${head.toLowerCase()}/`)) return empty(res, 404);
      below = path.slice(head.length);
    }
    const found = router.find(below, req.method ?? 'GET');
    if (!found) return empty(res, 404);
    if ('methodMismatch' in found) return empty(res, 404);
    if (!isAuthorized(found.route.authLevel, granted)) return empty(res, 401);
    const body = await readBody(req);
    await found.route.handle({ req, res, url, params: found.params, body });
  }
}
