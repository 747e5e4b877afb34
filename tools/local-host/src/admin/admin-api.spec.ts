import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { handleAdminRequest } from './admin-api';
import type { FunctionInfo, HostControl, HostStatus } from './host-control';

/** A host control whose state the test sets (the admin API's routing and answers, no triggers). */
function controlIn(state: HostStatus['state']): HostControl & { paused: string[] } {
  const info = (name: string, paused: boolean): FunctionInfo => ({ name, triggerType: 'eventHubTrigger', state: paused ? 'paused' : 'running', paused, disabled: false });
  const paused: string[] = [];
  return {
    paused,
    listFunctions: () => [info('ingest', paused.includes('ingest'))],
    pause: async (name) => (paused.push(name), info(name, true)),
    resume: async (name) => info(name, false),
    status: () => ({ state, version: 'test', baseUrl: 'http://127.0.0.1', startedAt: new Date().toISOString(), uptimeMs: 0, functionCount: 1, memory: {} as HostStatus['memory'] }),
    metrics: () => ({}),
    resetMetrics: () => undefined,
  };
}

describe('admin API pause/resume', () => {
  let server: Server | undefined;
  afterEach(async () => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  async function serve(control: HostControl): Promise<string> {
    server = createServer((req, res) => void handleAdminRequest(control, req, res, new URL(req.url ?? '/', 'http://x').pathname));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  it.each(['Initialized', 'Stopping', 'Stopped'] as const)('answer 503 while the host is %s, and pause nothing (a pause before the triggers start would be undone)', async (state) => {
    const control = controlIn(state);
    const base = await serve(control);
    const response = await fetch(`${base}/admin/functions/ingest/pause`, { method: 'POST' });
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ code: 'HOST_NOT_RUNNING' });
    expect(control.paused).toEqual([]);
  });

  it('pause once the host is running', async () => {
    const control = controlIn('Running');
    const base = await serve(control);
    const response = await fetch(`${base}/admin/functions/ingest/pause`, { method: 'POST' });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ name: 'ingest', paused: true });
    expect(control.paused).toEqual(['ingest']);
  });
});
