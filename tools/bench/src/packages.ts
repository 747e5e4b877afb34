import { execFile } from 'node:child_process';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { buildApps, builtAppDir } from '@telemetry/local-stack';

/** The function apps that deploy as a package (the dashboard is a static site). */
export const FUNCTION_APPS = ['ingestion', 'circuit-breaker', 'dead-letter-reprocessor', 'device-status'] as const;

export interface PackageMeasure {
  app: string;
  /** Bytes in dist/apps/<app>, unzipped, source maps excluded (they are never deployed). */
  bytes: number;
  /**
   * Median over `runs` fresh processes (load-probe.cjs): the cold start as the Functions worker runs
   * it, until the app could take its first event: require main.js with @azure/functions-core
   * provided (its functions and hooks register), capabilities, then its appStart hooks (settings
   * parsed, clients built) with Azure's identity-based settings (wall clock).
   */
  loadMsMedian: number;
  loadMsRuns: number[];
  /**
   * The same cold starts in CPU time (process.cpuUsage, user + system, all of the process's threads):
   * compiling and evaluating the code, building the clients. It moves much less than wall time with
   * the machine's load. No compile cache: a fresh Azure instance has none.
   */
  loadCpuMsMedian: number;
  loadCpuMsRuns: number[];
  /** Functions the app registered (as the worker saw them). */
  functions: string[];
  /** Package files loaded by then, and their bytes; the other .js files load on first use. */
  loadedFiles: string[];
  loadedBytes: number;
  jsFiles: string[];
}

async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(p);
    else if (!entry.name.endsWith('.map')) total += (await stat(p)).size;
  }
  return total;
}

/**
 * Azure's settings for every app, one superset as in the local stack (each app's schema takes what
 * it reads): the names infra/apps/*.bicep and infra/modules/function-app.bicep set, with
 * identity-based connections (`<NAME>__*ServiceUri`, no keys) and Application Insights on (Entra
 * auth), so an app builds at start exactly the clients a deployed instance builds. Host names are
 * placeholders: nothing is contacted before the first invocation. Beside the app settings, the
 * platform's own variables every Functions instance has: the managed identity token service
 * (IDENTITY_ENDPOINT, IDENTITY_HEADER; the App Service source of @telemetry/azure-identity).
 */
const CLIENT_ID = '00000000-0000-0000-0000-0000000000c1';
export const AZURE_APP_SETTINGS: Readonly<Record<string, string>> = {
  FUNCTIONS_WORKER_RUNTIME: 'node',
  IDENTITY_ENDPOINT: 'http://127.0.0.1:41741/msi/token',
  IDENTITY_HEADER: '00000000-0000-0000-0000-0000000000e1',
  AZURE_CLIENT_ID: CLIENT_ID,
  APPLICATIONINSIGHTS_CONNECTION_STRING: 'InstrumentationKey=00000000-0000-0000-0000-0000000000a1;IngestionEndpoint=https://westeurope-5.in.applicationinsights.azure.com/',
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: `Authorization=AAD;ClientId=${CLIENT_ID}`,
  EventHubConnection__fullyQualifiedNamespace: 'evhns-bench.servicebus.windows.net',
  EventHubConnection__credential: 'managedidentity',
  EventHubConnection__clientId: CLIENT_ID,
  EventHubName: 'telemetry',
  EventHubConsumerGroup: 'ingestion',
  EVENT_HUB_RETENTION_HOURS: '168',
  COSMOS_ENDPOINT: 'https://cosmos-bench.documents.azure.com:443/',
  COSMOS_DATABASE: 'telemetry',
  COSMOS_CONTAINER: 'devices',
  COSMOS_REQUEST_TIMEOUT_MS: '5000',
  DeadLetterStorage__queueServiceUri: 'https://stdatabench.queue.core.windows.net/',
  DeadLetterStorage__blobServiceUri: 'https://stdatabench.blob.core.windows.net/',
  DeadLetterStorage__tableServiceUri: 'https://stdatabench.table.core.windows.net/',
  DeadLetterStorage__credential: 'managedidentity',
  DeadLetterStorage__clientId: CLIENT_ID,
  FailureTracking__tableServiceUri: 'https://stdatabench.table.core.windows.net/',
  FailureTracking__credential: 'managedidentity',
  FailureTracking__clientId: CLIENT_ID,
  ParkedStorage__tableServiceUri: 'https://stdatabench.table.core.windows.net/',
  ParkedStorage__credential: 'managedidentity',
  ParkedStorage__clientId: CLIENT_ID,
  IngestionCheckpointStorage__blobServiceUri: 'https://sthingbench.blob.core.windows.net/',
  IngestionCheckpointStorage__credential: 'managedidentity',
  IngestionCheckpointStorage__clientId: CLIENT_ID,
  DEAD_LETTER_QUEUE: 'dead-letters',
  CLAIM_CHECK_CONTAINER: 'dead-letter-payloads',
  PARKING_TABLE: 'parkedDeadLetters',
  FAILURE_TABLE: 'failures',
  BREAKER_MODE: 'auto-probe',
  BREAKER_SWITCH: 'arm-function',
  INGESTION_FUNCTION_NAME: 'ingestTelemetry',
  INGESTION_APP_NAME: 'func-ingestion-bench',
  INGESTION_RESOURCE_GROUP: 'rg-bench',
  AZURE_SUBSCRIPTION_ID: '00000000-0000-0000-0000-0000000000f1',
  APPROVAL_SIGNING_KEY: 'bench-approval-signing-key-0123456789abcdef',
  PUBLIC_BASE_URL: 'https://func-breaker-bench.azurewebsites.net',
  BREAKER_OPERATORS: '00000000-0000-0000-0000-0000000000e1',
  BREAKER_EMAIL_TRANSPORT: 'acs',
  BREAKER_EMAIL_FROM: 'DoNotReply@bench.azurecomm.net',
  BREAKER_EMAIL_TO: 'ops@example.com',
  ACS_ENDPOINT: 'https://acs-bench.communication.azure.com',
  BREAKER_STATUS_URL: 'https://func-breaker-bench.azurewebsites.net/api/breaker',
  BREAKER_STATUS_KEY: 'bench-status-key',
  BREAKER_SUMMARY_URL: 'https://func-breaker-bench.azurewebsites.net/api/breaker/summary',
  WEBSITE_SITE_NAME: 'func-bench',
  WEBSITE_AUTH_ENABLED: 'true',
};

/** load-probe.cjs: one cold start (provide functions-core, require main.js, capabilities, appStart) in a fresh process. */
const LOAD_PROBE = path.join(__dirname, 'load-probe.cjs');

interface ProbeResult {
  wall: number;
  cpu: number;
  functions: string[];
  /** Files of the package loaded by the time the app could take its first event. */
  files: string[];
  bytes: number;
}

async function load(mainJs: string): Promise<ProbeResult> {
  // No NODE_OPTIONS (tsx or a compile cache of the parent must not leak in): a fresh instance has neither.
  const env: Record<string, string> = { PATH: process.env['PATH'] ?? '', ...AZURE_APP_SETTINGS };
  const { stdout } = await promisify(execFile)(process.execPath, [LOAD_PROBE, mainJs], { timeout: 60_000, env });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as ProbeResult;
}

const round1 = (ms: number): number => Math.round(ms * 10) / 10;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Builds each function app as it deploys (tools/build/bundle-app.mjs) and measures its package. */
export async function benchPackages(options: { runs: number; /** Already-built folders to measure instead (before/after comparisons). */ appDir?: (app: string) => string }): Promise<PackageMeasure[]> {
  if (!options.appDir) await buildApps([...FUNCTION_APPS]);
  const out: PackageMeasure[] = [];
  for (const app of FUNCTION_APPS) {
    const dir = options.appDir?.(app) ?? builtAppDir(app);
    const runs: number[] = [];
    const cpuRuns: number[] = [];
    let last: ProbeResult | undefined;
    for (let i = 0; i < options.runs; i += 1) {
      last = await load(path.join(dir, 'main.js'));
      runs.push(round1(last.wall));
      cpuRuns.push(round1(last.cpu));
    }
    const jsFiles = (await readdir(dir)).filter((f) => f.endsWith('.js')).sort();
    out.push({
      app,
      bytes: await folderBytes(dir),
      loadMsMedian: median(runs),
      loadMsRuns: runs,
      loadCpuMsMedian: median(cpuRuns),
      loadCpuMsRuns: cpuRuns,
      functions: last?.functions ?? [],
      loadedFiles: last?.files ?? [],
      loadedBytes: last?.bytes ?? 0,
      jsFiles,
    });
  }
  return out;
}
