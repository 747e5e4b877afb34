import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { createServer } from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One metric as Application Insights' ingestion (Breeze) receives it from the exporter. */
export interface ReceivedMetric {
  name: string;
  value: number;
  count?: number;
  properties: Record<string, string>;
}

export interface FakeIngestionEndpoint {
  /** A connection string pointing the exporter at this server. */
  connectionString: string;
  metrics: ReceivedMetric[];
  authorizationHeaders: Array<string | undefined>;
  stop(): Promise<void>;
}

interface Envelope {
  data?: { baseType?: string; baseData?: { metrics?: Array<{ name: string; value: number; count?: number }>; properties?: Record<string, string> } };
}

/**
 * A loopback HTTPS server speaking the Application Insights track API (`POST /v2.1/track`,
 * optionally gzip), so the real Azure Monitor exporter can be exercised without Azure. The
 * exporter only speaks HTTPS (it rewrites http:// endpoints): the server uses the self-signed
 * certificate shipped with @vercel/cosmosdb-server, so the client process must not verify it
 * (`NODE_TLS_REJECT_UNAUTHORIZED=0`, tests only).
 */
export async function startFakeIngestionEndpoint(): Promise<FakeIngestionEndpoint> {
  const metrics: ReceivedMetric[] = [];
  const authorizationHeaders: Array<string | undefined> = [];
  const certDir = path.dirname(require.resolve('@vercel/cosmosdb-server/package.json'));
  const tls = { cert: readFileSync(path.join(certDir, 'cert.pem')), key: readFileSync(path.join(certDir, 'key.pem')) };
  const server = createServer(tls, (req, res) => {
    void readBody(req).then((raw) => {
      authorizationHeaders.push(req.headers.authorization);
      const text = (req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw) : raw).toString('utf8');
      const envelopes = parseEnvelopes(text);
      for (const e of envelopes) {
        if (e.data?.baseType !== 'MetricData') continue;
        for (const m of e.data.baseData?.metrics ?? []) metrics.push({ ...m, properties: e.data.baseData?.properties ?? {} });
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    connectionString: `InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://127.0.0.1:${port}/`,
    metrics,
    authorizationHeaders,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function parseEnvelopes(text: string): Envelope[] {
  const trimmed = text.trim();
  if (trimmed.startsWith('[')) return JSON.parse(trimmed) as Envelope[];
  return trimmed
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Envelope);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
