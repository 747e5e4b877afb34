import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startWebhookSink, WEBHOOK_MAX_BYTES } from './webhook-sink';

describe('the operator webhook stand-in', () => {
  it('records notifications and refuses one over the Teams size limit with 413, unrecorded', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'webhook-sink-'));
    const sink = await startWebhookSink(path.join(dir, 'notifications.ndjson'));
    try {
      const post = (text: string): Promise<Response> => fetch(sink.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
      const small = await post(JSON.stringify({ text: 'breaker tripped' }));
      expect(small.status).toBe(200);
      expect(await small.text()).toBe('1');
      expect((await post(JSON.stringify({ text: 'x'.repeat(WEBHOOK_MAX_BYTES) }))).status).toBe(413);
      // Chunked, without a Content-Length.
      const stream = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < 4; i++) controller.enqueue(new TextEncoder().encode('y'.repeat(10_000)));
          controller.close();
        },
      });
      expect((await fetch(sink.url, { method: 'POST', body: stream, duplex: 'half' } as RequestInit)).status).toBe(413);
      expect(sink.received).toEqual([{ text: 'breaker tripped' }]);
      expect((await readFile(path.join(dir, 'notifications.ndjson'), 'utf8')).trim().split('\n')).toHaveLength(1);
      // It holds the signed resume links: readable by its owner only.
      expect((await stat(path.join(dir, 'notifications.ndjson'))).mode & 0o777).toBe(0o600);
    } finally {
      await sink.close();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
