import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { isAllowedHost } from '../drivers/http/loopback-host';
import { RequestBodyTooLargeError } from '../drivers/http/request-body';
import { MalformedPathError } from '../drivers/http/request-path';
import { toError } from '../errors';
import type { Logger } from '../logging/logger';
import { RPC_PATH, type DurableHttpApi } from './durable-http-api';

/**
 * The loopback-only endpoint of the Durable client RPC API, apart from the app's public port, as
 * the Durable extension's LocalHttpListener (a Kestrel host of its own on 127.0.0.1). Its URL is
 * given to the worker alone, as `rpcBaseUrl` in the durableClient binding; it is not in the ready
 * line, the admin API or `.local/stack.json`. The port is a free one (the extension tries 17071,
 * then random ports: a fixed port would collide between the stack's hosts).
 */
export class DurableRpcListener {
  private server?: Server;
  private base = '';

  constructor(
    private readonly api: DurableHttpApi,
    private readonly logger: Logger,
  ) {}

  /** `http://127.0.0.1:{port}/durabletask/` once listening. */
  get rpcBaseUrl(): string {
    return this.base;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      // Only the worker calls it, by 127.0.0.1: no other host name is ever right here.
      if (!isAllowedHost(req)) return void res.writeHead(404, { 'content-length': '0' }).end();
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      this.api.handleRpc(req, res, url).catch((thrown: unknown) => {
        if (res.headersSent) return void res.end();
        const status = thrown instanceof MalformedPathError ? 400 : thrown instanceof RequestBodyTooLargeError ? 413 : 500;
        if (status === 500) this.logger.log({ level: 'error', message: 'durable rpc request failed', fields: { error: toError(thrown).message } });
        res.writeHead(status, { 'content-length': '0' }).end();
      });
    });
    server.on('checkContinue', (req, res) => server.emit('request', req, res));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    this.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}${RPC_PATH}`;
    return this.base;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }
}
