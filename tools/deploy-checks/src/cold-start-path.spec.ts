import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

// Ingestion's Azure settings (infra/apps/ingestion.bicep): identity-based connections, so the cold
// start builds what a deployed instance builds, and the platform's managed identity token service
// every Functions instance has. Nothing is contacted before an invocation.
const INGESTION_AZURE_SETTINGS = {
  IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token',
  IDENTITY_HEADER: '00000000-0000-0000-0000-0000000000e1',
  AZURE_CLIENT_ID: '00000000-0000-0000-0000-0000000000c1',
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'Authorization=AAD;ClientId=00000000-0000-0000-0000-0000000000c1',
  COSMOS_ENDPOINT: 'https://cosmos-check.documents.azure.com:443/',
  COSMOS_DATABASE: 'telemetry',
  COSMOS_CONTAINER: 'devices',
  DeadLetterStorage__queueServiceUri: 'https://stcheck.queue.core.windows.net/',
  DeadLetterStorage__blobServiceUri: 'https://stcheck.blob.core.windows.net/',
  FailureTracking__tableServiceUri: 'https://stcheck.table.core.windows.net/',
  DEAD_LETTER_QUEUE: 'dead-letters',
  CLAIM_CHECK_CONTAINER: 'dead-letter-payloads',
  FAILURE_TABLE: 'failures',
};

/**
 * Issue 17 (load time): the deployed ingestion bundle keeps what only a batch with a bad event needs
 * (the storage SDKs of the dead-letter sink, the Tables SDK of the failure counter) in files of
 * their own, loaded on first use, while everything an ordinary event needs (Cosmos, the metrics
 * SDK it records into) is loaded by the cold start. An ordinary event's token comes from the
 * platform's token service with no SDK (@telemetry/azure-identity), so @azure/identity (and MSAL)
 * load only where there is no such service; the Azure Monitor exporter loads on its first export
 * (a minute after start). The cold start is tools/bench/src/load-probe.cjs, the one the bench
 * measures. SDK files are recognised by the user agent each SDK sends.
 */
describe('ingestion cold start path (deploy bundle)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'ingestion-cold-start-'));
    await run(process.execPath, [path.join(WORKSPACE_ROOT, 'tools/build/bundle-app.mjs'), 'apps/ingestion', dir], { cwd: WORKSPACE_ROOT });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads the Cosmos SDK at start; identity, exporter, storage and Tables SDKs only on first use', async () => {
    const { stdout } = await run(process.execPath, [path.join(WORKSPACE_ROOT, 'tools/bench/src/load-probe.cjs'), path.join(dir, 'main.js')], {
      env: { PATH: process.env['PATH'] ?? '', ...INGESTION_AZURE_SETTINGS },
      timeout: 120_000,
    });
    const probe = JSON.parse(stdout.trim().split('\n').at(-1)!) as { functions: string[]; files: string[] };
    expect(probe.functions).toEqual(['ingestTelemetry']);
    const loaded = new Set(probe.files);
    const js = (await readdir(dir)).filter((f) => f.endsWith('.js'));
    const filesWith = async (marker: string): Promise<string[]> => {
      const out: string[] = [];
      for (const f of js) if ((await readFile(path.join(dir, f), 'utf8')).includes(marker)) out.push(f);
      return out;
    };
    for (const atStart of ['azure-cosmos-js']) {
      const files = await filesWith(atStart);
      expect({ atStart, files }).toEqual({ atStart, files: expect.arrayContaining([expect.any(String)]) });
      expect({ atStart, loaded: files.every((f) => loaded.has(f)) }).toEqual({ atStart, loaded: true });
    }
    for (const onFirstUse of ['azsdk-js-identity', 'azsdk-js-monitor-opentelemetry-exporter', 'azsdk-js-storage-queue', 'azsdk-js-azure-storage-blob', 'azsdk-js-data-tables']) {
      const files = await filesWith(onFirstUse);
      expect({ onFirstUse, files }).toEqual({ onFirstUse, files: expect.arrayContaining([expect.any(String)]) });
      expect({ onFirstUse, loaded: files.filter((f) => loaded.has(f)) }).toEqual({ onFirstUse, loaded: [] });
    }
  });
});
