import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile } from 'node:fs/promises';

/** A loopback stand-in for a Teams/Slack incoming webhook: records each notification as NDJSON. */
export async function startWebhookSink(file: string): Promise<{ url: string; received: unknown[]; close(): Promise<void> }> {
  const received: unknown[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      received.push(body);
      void appendFile(file, JSON.stringify({ at: new Date().toISOString(), body }) + '\n').catch(() => undefined);
      res.writeHead(200, { 'content-type': 'text/plain' }).end('1');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhook`, received, close: () => new Promise((r) => server.close(() => r())) };
}
