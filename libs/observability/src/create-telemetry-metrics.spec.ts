import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { waitUntil } from '@telemetry/local-services';
import { createTelemetryMetrics } from './create-telemetry-metrics';
import { counterTotal } from './metrics-snapshot';
import { startFakeIngestionEndpoint, type FakeIngestionEndpoint } from './testing/fake-ingestion-endpoint';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../../..');
const CHILD = path.join(__dirname, 'testing', 'export-metrics-child.ts');

/**
 * Exports happen in a child process, as in an app instance: the fake endpoint's self-signed
 * certificate may only be accepted by that process (NODE_TLS_REJECT_UNAUTHORIZED=0 is read by Node itself, not Jest's sandbox).
 */
async function exportFromChild(settings: Record<string, string>, token?: string): Promise<{ exporter: string }> {
  const args = ['--import', pathToFileURL(require.resolve('tsx')).href, CHILD, JSON.stringify(settings), ...(token ? [token] : [])];
  const { stdout } = await run(process.execPath, args, {
    cwd: ROOT,
    timeout: 120_000,
    env: {
      ...process.env,
      TSX_TSCONFIG_PATH: path.join(ROOT, 'tsconfig.base.json'),
      NODE_TLS_REJECT_UNAUTHORIZED: '0',
      // The exporter would otherwise report its own usage ("statsbeat") to a public endpoint.
      APPLICATION_INSIGHTS_NO_STATSBEAT: 'true',
      APPLICATIONINSIGHTS_SDKSTATS_DISABLED: 'true',
    },
  });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { exporter: string };
}

describe('createTelemetryMetrics', () => {
  let dir: string;
  let endpoint: FakeIngestionEndpoint;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'obs-'));
    endpoint = await startFakeIngestionEndpoint();
  });
  afterAll(async () => {
    await endpoint.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('without a connection string keeps metrics in memory only', async () => {
    const telemetry = createTelemetryMetrics({ app: 'ingestion', settings: {} });
    expect(telemetry.exporter).toBe('none');
    telemetry.metrics.count('telemetry.events.applied', 42);
    telemetry.metrics.count('telemetry.events.deadlettered', 1, { code: 'INVALID_JSON' });
    await telemetry.shutdown();
    expect(counterTotal(telemetry.memory.snapshot(), 'telemetry.events.applied')).toBe(42);
    expect(counterTotal(telemetry.memory.snapshot(), 'telemetry.events.deadlettered', { code: 'INVALID_JSON' })).toBe(1);
  });

  it('with a connection string exports every metric through the Azure Monitor exporter, attributes included', async () => {
    const result = await exportFromChild({ APPLICATIONINSIGHTS_CONNECTION_STRING: endpoint.connectionString });
    expect(result.exporter).toBe('azure-monitor');

    await waitUntil(() => endpoint.metrics.some((x) => x.name === 'reprocessor.outcomes'), { timeoutMs: 60_000, description: 'metrics exported' });
    const byName = (name: string) => endpoint.metrics.filter((x) => x.name === name);
    expect(byName('telemetry.batch.size')[0]).toMatchObject({ value: 300, count: 2 });
    expect(byName('telemetry.events.applied')[0]?.value).toBe(299);
    expect(byName('telemetry.events.deadlettered')[0]).toMatchObject({ value: 1, properties: { code: 'SCHEMA_VIOLATION' } });
    expect(byName('telemetry.store.retries')[0]?.value).toBe(3);
    expect(byName('telemetry.store.throttles')[0]?.value).toBe(2);
    expect(byName('breaker.state.changes')[0]).toMatchObject({ value: 1, properties: { to: 'open' } });
    expect(byName('reprocessor.outcomes')[0]).toMatchObject({ value: 4, properties: { outcome: 'parked', code: 'INVALID_JSON' } });
  });

  it('sends metrics with an Entra ID token when the app has an identity (local auth is off in Azure)', async () => {
    const before = endpoint.authorizationHeaders.length;
    await exportFromChild(
      {
        APPLICATIONINSIGHTS_CONNECTION_STRING: endpoint.connectionString,
        APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=00000000-0000-0000-0000-00000000000c',
      },
      'entra-token-for-test',
    );
    await waitUntil(() => endpoint.authorizationHeaders.length > before, { timeoutMs: 60_000, description: 'an export request' });
    expect(endpoint.authorizationHeaders.slice(before)).toContain('Bearer entra-token-for-test');
  });
});
