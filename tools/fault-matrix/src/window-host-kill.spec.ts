import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestionWindowAppSettings } from '@telemetry/contracts';
import { waitUntil } from '@telemetry/local-services';
import { startLocalStack, waitForDrain, type LocalStack } from '@telemetry/local-stack';
import { simulate } from '@telemetry/simulator';
import { auditRun } from './audit';

// Generous bounds: CI shares a loaded 2-core machine; a passing run takes a fraction of them.
jest.setTimeout(600_000);

const WINDOW_SECONDS = 5;
const DEVICES = 200;
const RATE = 200;
const SECONDS = 20;
const FUNCTION = 'ingestTelemetry';

type Metrics = Record<string, { eventsProcessed: number } | undefined>;

// Issue 21: with an ingestion window the trigger holds a partition's events for up to the window
// before the function sees them, and checkpoints only after the function's writes landed. A host
// killed with SIGKILL while it holds events (and has invoked some windows) loses none: the next
// host reads them again from the last checkpoint.
describe('ingestion window: SIGKILL the ingestion host mid-run', () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'window-kill-'));
    stack = await startLocalStack({
      dataDir, apps: ['ingestion'], dashboard: false,
      // The window reaches the host as app settings over host.json, as in Azure.
      settingsOverrides: { ingestion: ingestionWindowAppSettings(WINDOW_SECONDS) },
      // A killed host's partitions move after 5 s instead of the default minute.
      hostJsonExtensions: { ingestion: { eventHubs: { loadBalancingUpdateInterval: '00:00:01', partitionOwnershipExpirationInterval: '00:00:05' } } },
    });
  }, 300_000);
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`a ${WINDOW_SECONDS} s window: events held and in flight at the kill are processed by the next host; the audit shows lost 0`, async () => {
    const d = stack.descriptor;
    const victim = stack.hosts.get('ingestion')!;
    let sentSoFar = 0;
    const sending = simulate({
      connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: DEVICES,
      count: RATE * SECONDS, rate: RATE, keyFrameEvery: 10, corruptRatio: 0.01, duplicateRatio: 0.02, seed: 21,
      onProgress: (sent) => { sentSoFar = sent; },
    });
    // Kill once the host has invoked the function for some windows and more has been sent since.
    const processedAtKill = await waitUntil(async () => {
      const processed = ((await victim.admin.metrics()) as Metrics)[FUNCTION]?.eventsProcessed ?? 0;
      return processed > 0 && sentSoFar >= processed + RATE * 2 ? processed : undefined;
    }, { timeoutMs: 180_000, intervalMs: 200, description: 'the host to process a window while more events arrive' });
    const sentAtKill = sentSoFar;
    await victim.kill();
    const successor = await stack.startHost('ingestion');
    const run = await sending;
    await waitForDrain(d, { timeoutMs: 300_000 });
    const processedBySuccessor = ((await successor.admin.metrics()) as Metrics)[FUNCTION]?.eventsProcessed ?? 0;

    const audit = await auditRun(d, run.events);
    console.info(`window-host-kill: sent ${audit.sent} (${sentAtKill} by the kill, ${processedAtKill} processed then); successor processed ${processedBySuccessor}; applied ${audit.applied}, superseded ${audit.superseded}, dead-lettered ${audit.deadLettered}, lost ${audit.lost}`);
    // Events the killed host had received or held but not acknowledged were there to lose.
    expect(sentAtKill).toBeGreaterThan(processedAtKill);
    expect(processedBySuccessor).toBeGreaterThan(0);
    expect({ lost: audit.lost, lostEvents: audit.lostEvents.slice(0, 5), devicesMismatched: audit.devicesMismatched.slice(0, 5) })
      .toEqual({ lost: 0, lostEvents: [], devicesMismatched: [] });
    expect(audit.applied + audit.superseded + audit.deadLettered + audit.parked).toBe(audit.sent);
  });
});
