import type { DriverContext, DriverState, TriggerDriver } from '../trigger-driver';
import type { AuthLevel } from './host-keys';
import type { HttpRouteRequest } from './http-router';
import { randomUUID } from 'node:crypto';
import { forwardToWorker, streamTriggerMetadata } from './http-stream-proxy';
import type { WorkerHttpProxy } from './worker-http-proxy';
import { httpOutputOf, toRpcHttpRequest, writeRpcHttpResponse } from './rpc-http';

/** httpTrigger: a route in the host's HTTP server. Paused -> 503 (the real host has no pause). */
export class HttpDriver implements TriggerDriver {
  readonly triggerType = 'httpTrigger';
  private currentState: DriverState = 'stopped';
  private removeRoute?: () => void;

  constructor(private readonly context: DriverContext) {}

  get functionName(): string {
    return this.context.registration.name;
  }

  get state(): DriverState {
    return this.currentState;
  }

  async start(): Promise<void> {
    const { registration, settings, http } = this.context;
    const trigger = registration.trigger as { route?: string; methods?: string[]; authLevel?: AuthLevel };
    const route = settings.resolve(trigger.route ?? registration.name, registration.name);
    this.removeRoute = http.add({
      functionName: registration.name,
      route,
      methods: (trigger.methods ?? []).map((m) => m.toUpperCase()),
      authLevel: trigger.authLevel ?? 'anonymous',
      streamBody: this.context.httpProxy !== undefined,
      handle: (request) => (this.context.httpProxy ? this.handleStream(request, this.context.httpProxy) : this.handle(request)),
    });
    this.currentState = 'running';
  }

  async stop(): Promise<void> {
    this.removeRoute?.();
    this.currentState = 'stopped';
  }

  async pause(): Promise<void> {
    if (this.currentState === 'running') this.currentState = 'paused';
  }

  async resume(): Promise<void> {
    if (this.currentState === 'paused') this.currentState = 'running';
  }

  private async handle({ req, res, url, params, body }: HttpRouteRequest): Promise<void> {
    if (this.currentState !== 'running') {
      res.writeHead(503, { 'content-length': '0' }).end();
      return;
    }
    const outcome = await this.context.executor.execute({ triggerData: { http: toRpcHttpRequest(req, url, params, body ?? Buffer.alloc(0)) }, reason: 'http' });
    if (!outcome.ok) {
      // The host answers an unhandled function error with 500 and no details.
      res.writeHead(500, { 'content-length': '0' }).end();
      return;
    }
    writeRpcHttpResponse(res, httpOutputOf(outcome.response));
  }

  /** enableHttpStream: the request and the response travel over the worker's HTTP proxy, streamed. */
  private async handleStream({ req, res, url, params, maxBodyBytes }: HttpRouteRequest, proxy: WorkerHttpProxy): Promise<void> {
    if (this.currentState !== 'running') {
      res.writeHead(503, { 'content-length': '0' }).end();
      return;
    }
    const invocationId = randomUUID();
    const proxied = forwardToWorker(req, res, url, proxy.uri, invocationId, maxBodyBytes);
    const outcome = await this.context.executor.execute({
      triggerData: { http: { ...toRpcHttpRequest(req, url, params, Buffer.alloc(0)), body: null } },
      triggerMetadata: streamTriggerMetadata(req, url, params),
      invocationId,
      reason: 'http',
    });
    if (!outcome.ok) {
      // The worker never answers the proxied request of a failed invocation: the host's 500.
      proxied.abort();
      if (!res.headersSent) res.writeHead(500, { 'content-length': '0' }).end();
      else res.destroy();
      return;
    }
    if (!proxy.answered(invocationId)) {
      // The function returned no response: the library sends none; the host's default is 200, empty.
      proxied.abort();
      if (!res.headersSent) res.writeHead(200, { 'content-length': '0' }).end();
      return;
    }
    await proxied.done;
  }
}
