import type { IncomingMessage, ServerResponse } from 'node:http';
import { LocalHostError, toError } from '../errors';
import type { HostControl } from './host-control';

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) }).end(text);
}

/**
 * `/admin/*` (master key checked by the caller; `path` percent-decoded by the caller):
 * GET functions, POST functions/{name}/pause|resume, GET host/status, GET|DELETE host/metrics.
 */
export async function handleAdminRequest(control: HostControl, req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const parts = path.split('/').filter(Boolean); // ['admin', ...]; `path` is already decoded
  try {
    if (method === 'GET' && parts[1] === 'functions' && parts.length === 2) return sendJson(res, 200, control.listFunctions());
    if (method === 'POST' && parts[1] === 'functions' && parts.length === 4 && (parts[3] === 'pause' || parts[3] === 'resume')) {
      const name = parts[2]!;
      // As the Functions host, which answers 503 until it is running: a pause taken while the
      // triggers are still starting would be undone by their start (the switch retries a 503).
      const state = control.status().state;
      if (state !== 'Running') return sendJson(res, 503, { code: 'HOST_NOT_RUNNING', message: `the host is ${state}` });
      const info = parts[3] === 'pause' ? await control.pause(name) : await control.resume(name);
      return sendJson(res, 200, info);
    }
    if (method === 'GET' && parts[1] === 'host' && parts[2] === 'status') return sendJson(res, 200, control.status());
    if (method === 'GET' && parts[1] === 'host' && parts[2] === 'metrics') return sendJson(res, 200, control.metrics());
    if (method === 'DELETE' && parts[1] === 'host' && parts[2] === 'metrics') {
      control.resetMetrics();
      return sendJson(res, 200, control.metrics());
    }
    return sendJson(res, 404, { code: 'NOT_FOUND', message: `no admin endpoint ${method} ${path}` });
  } catch (thrown) {
    const error = toError(thrown);
    const code = error instanceof LocalHostError ? error.code : 'ADMIN_REQUEST_FAILED';
    return sendJson(res, code === 'FUNCTION_NOT_FOUND' ? 404 : 500, { code, message: error.message });
  }
}
