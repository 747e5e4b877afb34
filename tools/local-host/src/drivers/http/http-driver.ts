import type { DriverContext, DriverState, TriggerDriver } from '../trigger-driver';
import type { AuthLevel } from './host-keys';
import type { HttpRouteRequest } from './http-router';
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
      handle: (request) => this.handle(request),
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
    const outcome = await this.context.executor.execute({ triggerData: { http: toRpcHttpRequest(req, url, params, body) }, reason: 'http' });
    if (!outcome.ok) {
      // The host answers an unhandled function error with 500 and no details.
      res.writeHead(500, { 'content-length': '0' }).end();
      return;
    }
    writeRpcHttpResponse(res, httpOutputOf(outcome.response));
  }
}
