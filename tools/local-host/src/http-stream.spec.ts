import { waitUntil } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture, readRecords, recordFile } from './testing/records';

// app.setup({ enableHttpStream: true }): requests and responses stream through the library's
// HTTP proxy, as on a host >= 4.28 (@azure/functions src/http/httpProxy.ts).
describe('HTTP streaming (enableHttpStream)', () => {
  let host: SpawnedHost;
  const records = recordFile('stream');
  const uploads = (): string[] => readRecords<{ fn: string; chunk: string }>(records).filter((r) => r.fn === 'upload').map((r) => r.chunk);

  beforeAll(async () => {
    host = await spawnHost({ app: fixture('stream-app/main.ts'), settings: { RECORD_FILE: records } });
  });
  afterAll(async () => host?.stop());

  it('streams the request body to the function: it sees the first chunk before the client sends the second', async () => {
    let push: (chunk: string | null) => void = () => undefined;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        push = (chunk) => (chunk === null ? controller.close() : controller.enqueue(new TextEncoder().encode(chunk)));
      },
    });
    const response = fetch(`${host.baseUrl}/api/upload`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    push('chunk-one');
    await waitUntil(() => uploads().join('').includes('chunk-one'), { timeoutMs: 60_000, description: 'first chunk at the function' });
    expect(uploads().join('')).not.toContain('chunk-two');
    push('chunk-two');
    push(null);
    const answer = await response;
    expect(answer.status).toBe(200);
    expect(await answer.json()).toEqual({ bytes: 'chunk-onechunk-two'.length });
  });

  it('streams the response: the client reads the first part while the function still holds the rest', async () => {
    const response = await fetch(`${host.baseUrl}/api/download`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain');
    expect(response.headers.get('x-ms-invocation-id')).toBeNull();
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    while (!text.includes('first part;')) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe('first part;');
    expect((await fetch(`${host.baseUrl}/api/release`, { method: 'POST' })).status).toBe(204);
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value, { stream: true });
    }
    expect(text).toBe('first part;second part');
  });

  it('route parameters, query, headers and URL reach the function; no response -> 200 empty; a throw -> 500', async () => {
    const echo = await fetch(`${host.baseUrl}/api/echo/ann?q=1`, { headers: { 'x-test': 'yes' } });
    expect(await echo.json()).toEqual({ name: 'ann', q: '1', header: 'yes', url: `${host.baseUrl}/api/echo/ann?q=1` });
    const nothing = await fetch(`${host.baseUrl}/api/nothing`);
    expect(nothing.status).toBe(200);
    expect(await nothing.text()).toBe('');
    expect((await fetch(`${host.baseUrl}/api/fails`)).status).toBe(500);
  });
});
