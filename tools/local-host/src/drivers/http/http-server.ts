import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from '../../admin/admin-api';
import type { HostControl } from '../../admin/host-control';
import { toError } from '../../errors';
import type { Logger } from '../../logging/logger';
import { grantedLevel, isAuthorized, opensFunction, presentedKey, type AuthLevel, type HostKeys } from './host-keys';
import type { HttpRouter } from './http-router';
import { isAllowedHost } from './loopback-host';
import { readRequestBody, refuseTooLarge, RequestBodyTooLargeError } from './request-body';
import { decodeRequestPath, MalformedPathError } from './request-path';

export interface HostHttpServerOptions {
  port: number;
  routePrefix: string;
  keys: HostKeys;
  router: HttpRouter;
  control: HostControl;
  logger: Logger;
  /** Request body limit in bytes (setting FUNCTIONS_REQUEST_BODY_SIZE_LIMIT, default 100 MB). */
  maxRequestBodyBytes: number;
  /** Host names answered besides loopback ones (setting LOCAL_HOST_ALLOWED_HOSTS). */
  allowedHosts?: readonly string[];
}

/**
 * Serves extra host paths on the public port (e.g. Durable's `/runtime/webhooks/durabletask/`);
 * true when handled. `maxBodyBytes` is the limit for any body it reads.
 */
export type HttpServerExtension = (request: { req: IncomingMessage; res: ServerResponse; url: URL; granted: AuthLevel; maxBodyBytes: number }) => Promise<boolean>;

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
        // What Kestrel answers: 413 for a body over the limit, 400 for a path it cannot decode.
        if (thrown instanceof RequestBodyTooLargeError) return refuseTooLarge(req, res);
        if (thrown instanceof MalformedPathError) return res.headersSent ? void res.end() : empty(res, 400);
        this.options.logger.log({ level: 'error', message: 'http request failed', fields: { error: toError(thrown).message } });
        if (!res.headersSent) empty(res, 500);
        else res.end();
      });
    });
    // No automatic 100 Continue: readRequestBody sends it when a body is about to be read, so a
    // body over the limit (or for a route that does not exist) is never sent at all.
    server.on('checkContinue', (req, res) => server.emit('request', req, res));
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
    // DNS rebinding: a page served under another name must not reach a loopback host.
    if (!isAllowedHost(req, this.options.allowedHosts)) return empty(res, 404);
    const url = new URL(req.url ?? '/', this.baseUrlValue);
    const header = req.headers['x-functions-key'];
    const headerKey = Array.isArray(header) ? header[0] : header;
    const granted = grantedLevel(keys, headerKey, url.searchParams.get('code'));
    // Decoded once, as Kestrel decodes the path before routing (malformed escapes stay literal).
    const path = decodeRequestPath(url.pathname);
    if (path === '/' || path === '') return empty(res, 200);
    const maxBodyBytes = this.options.maxRequestBodyBytes;
    for (const extension of this.extensions) if (await extension({ req, res, url, granted, maxBodyBytes })) return;
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
    const ownKey = found.route.authLevel === 'function' && opensFunction(keys, presentedKey(headerKey, url.searchParams.get('code')), found.route.functionName);
    if (!ownKey && !isAuthorized(found.route.authLevel, granted)) return empty(res, 401);
    // A streaming route (enableHttpStream) reads the body itself, within the same limit.
    const body = found.route.streamBody ? undefined : await readRequestBody(req, maxBodyBytes, res);
    await found.route.handle({ req, res, url, params: found.params, body, maxBodyBytes });
  }
}
