import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BreakerNotice } from '@telemetry/breaker-rules';
import { WebhookNotifier } from './webhook-notifier';

const notice: BreakerNotice = {
  kind: 'tripped', episode: 3, at: '2026-11-21T12:00:00.000Z', reason: '154 failures in the last 30 s (threshold 100)',
  counts: { STORE_UNAVAILABLE: 150, EVENT_INVALID: 4 }, approveUrl: 'https://breaker.example/api/breaker/approve?token=v1.abc.def',
  expiresAt: '2026-11-21T13:00:00.000Z', statusUrl: 'https://breaker.example/api/breaker', target: 'local-host: http://127.0.0.1:47071 [ingestTelemetry]',
};

describe('WebhookNotifier', () => {
  let server: http.Server;
  let url: string;
  let statuses: number[];
  const bodies: unknown[] = [];
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      let text = '';
      req.on('data', (c: Buffer) => (text += c.toString('utf8')));
      req.on('end', () => {
        bodies.push({ contentType: req.headers['content-type'], json: JSON.parse(text) as unknown });
        res.writeHead(statuses.shift() ?? 200).end('1');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook/secret-part`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  beforeEach(() => (bodies.length = 0));

  it('posts a Teams/Slack-shaped JSON message with the reason, counts and resume link, retrying a 503', async () => {
    statuses = [503, 200];
    await new WebhookNotifier({ url, initialDelayMs: 10 }).notify(notice);
    expect(bodies).toHaveLength(2);
    const { contentType, json } = bodies[1] as { contentType: string; json: { text: string; title: string; breaker: BreakerNotice } };
    expect(contentType).toBe('application/json');
    expect(json.title).toMatch(/paused/);
    expect(json.text).toContain('STORE_UNAVAILABLE: 150');
    expect(json.text).toContain(notice.reason);
    expect(json.text).toContain(notice.approveUrl);
    expect(json.breaker).toEqual(notice);
  });

  it('gives up at once on a 4xx, without the URL in the error', async () => {
    statuses = [400];
    const error = await new WebhookNotifier({ url, initialDelayMs: 10 }).notify(notice).then(() => new Error('no error'), (e: unknown) => e as Error);
    expect(bodies).toHaveLength(1);
    expect(error.message).toBe('webhook answered 400');
  });

  it('retries an unreachable webhook and reports it without the URL', async () => {
    const dead = url.replace(/:\d+\//, ':1/');
    const error = await new WebhookNotifier({ url: dead, initialDelayMs: 10, maxAttempts: 2 }).notify(notice).then(() => new Error('no error'), (e: unknown) => e as Error);
    expect(error.message).toMatch(/^webhook unreachable/);
    expect(error.message).not.toContain('secret-part');
  });
});
