import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { appendFile } from 'node:fs/promises';

/**
 * What a Teams incoming webhook accepts: "The message size limit is 28 KB" (Microsoft Teams,
 * "Create an Incoming Webhook"); a larger message gets 413 Payload Too Large.
 */
export const WEBHOOK_MAX_BYTES = 28 * 1024;

/**
 * A loopback stand-in for a Teams/Slack incoming webhook: records each notification as NDJSON.
 * Bodies over WEBHOOK_MAX_BYTES get 413 and are not recorded; the rest of such a body is not read.
 */
export async function startWebhookSink(file: string): Promise<{ url: string; received: unknown[]; close(): Promise<void> }> {
  const received: unknown[] = [];
  const tooLarge = (res: http.ServerResponse): void => {
    res.shouldKeepAlive = false;
    res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('Payload Too Large');
  };
  const server = http.createServer((req, res) => {
    if (Number(req.headers['content-length']) > WEBHOOK_MAX_BYTES) return tooLarge(res);
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > WEBHOOK_MAX_BYTES) {
        req.removeAllListeners('data').removeAllListeners('end');
        return tooLarge(res);
      }
      chunks.push(c);
    });
    req.on('end', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        body = Buffer.concat(chunks).toString('utf8');
      }
      received.push(body);
      // Answered once recorded, so a reader of the file after the answer sees the notification.
      // Owner-only, as the mail folder: a notice carries the live, signed resume link.
      void appendFile(file, JSON.stringify({ at: new Date().toISOString(), body }) + '\n', { mode: 0o600 })
        .catch(() => undefined)
        .then(() => res.writeHead(200, { 'content-type': 'text/plain' }).end('1'));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/webhook`,
    received,
    close: () =>
      new Promise((r) => {
        server.close(() => r());
        server.closeAllConnections();
      }),
  };
}
