import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ingestionWindowAppSettings } from '@telemetry/contracts';
import { waitUntil } from '@telemetry/local-services';
import { startLocalStack, waitForDrain, type LocalStack } from '@telemetry/local-stack';
import { simulate } from '@telemetry/simulator';
import { EventHubConsumerClient } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import { BlobWatermarkStore } from '@telemetry/azure-event-hubs';
import { RESOURCE_NAMES, type StackDescriptor } from '@telemetry/contracts';
import { auditRun } from './audit';

/** Per partition, how far the trigger's checkpoint is ahead of the write-behind's watermark, summed. */
async function acknowledgedButNotStored(d: StackDescriptor): Promise<number> {
  const client = new EventHubConsumerClient(d.eventHubs.consumerGroup, d.eventHubs.connectionString, d.eventHubs.hubName);
  try {
    const container = new ContainerClient(d.storage.connectionString, RESOURCE_NAMES.checkpointContainer);
    const scope = { fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: d.eventHubs.hubName, consumerGroup: d.eventHubs.consumerGroup };
    const [checkpoints, marks] = await Promise.all([
      new BlobCheckpointStore(container).listCheckpoints(scope.fullyQualifiedNamespace, scope.eventHubName, scope.consumerGroup),
      new BlobWatermarkStore(container, scope).list(),
    ]);
    return checkpoints.reduce((sum, c) => sum + Math.max(0, (c.sequenceNumber ?? -1) - (marks.get(c.partitionId) ?? Number.POSITIVE_INFINITY)), 0);
  } finally {
    await client.close();
  }
}

// Generous bounds: CI shares a loaded 2-core machine; a passing run takes a fraction of them.
jest.setTimeout(600_000);

const WINDOW_SECONDS = 5;
const DEVICES = 200;
const RATE = 200;
const SECONDS = 20;
const FUNCTION = 'ingestTelemetry';

type Metrics = Record<string, { eventsProcessed: number } | undefined>;

// Issue 21: with an ingestion window the app holds each device's events for up to the window and
// the trigger checkpoints them before they are written. A host killed with SIGKILL while it holds
// acknowledged events loses none: the next holder of each partition reads the hub again from the
// write-behind's watermark (what is stored), not from the trigger's checkpoint.
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

  it(`a ${WINDOW_SECONDS} s window: events acknowledged and held at the kill are read again by the next host; the audit shows lost 0`, async () => {
    const d = stack.descriptor;
    const victim = stack.hosts.get('ingestion')!;
    let sentSoFar = 0;
    const sending = simulate({
      connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: DEVICES,
      count: RATE * SECONDS, rate: RATE, keyFrameEvery: 10, corruptRatio: 0.01, duplicateRatio: 0.02, seed: 21,
      onProgress: (sent) => { sentSoFar = sent; },
    });
    // Kill once the host has taken a few seconds of events (less than the window: they are held,
    // acknowledged and not written) and more is still to be sent.
    const processedAtKill = await waitUntil(async () => {
      const processed = ((await victim.admin.metrics()) as Metrics)[FUNCTION]?.eventsProcessed ?? 0;
      return processed >= RATE * 3 && sentSoFar < RATE * SECONDS ? processed : undefined;
    }, { timeoutMs: 180_000, intervalMs: 200, description: 'the host to take some seconds of events while more are to come' });
    const sentAtKill = sentSoFar;
    await victim.kill();
    const acknowledgedNotStored = await acknowledgedButNotStored(d);
    const successor = await stack.startHost('ingestion');
    const run = await sending;
    await waitForDrain(d, { timeoutMs: 300_000 });
    const processedBySuccessor = ((await successor.admin.metrics()) as Metrics)[FUNCTION]?.eventsProcessed ?? 0;

    const audit = await auditRun(d, run.events);
    console.info(`window-host-kill: sent ${audit.sent} (${sentAtKill} by the kill, ${processedAtKill} processed then); successor processed ${processedBySuccessor}; applied ${audit.applied}, superseded ${audit.superseded}, dead-lettered ${audit.deadLettered}, lost ${audit.lost}`);
    console.info(`window-host-kill: at the kill, ${acknowledgedNotStored} events were checkpointed by the trigger and not yet stored`);
    // Events the killed host had acknowledged and held were there to lose: only the watermark's
    // replay brings them back (the successor starts after the trigger's checkpoint).
    expect(acknowledgedNotStored).toBeGreaterThan(0);
    expect(processedBySuccessor).toBeGreaterThan(0);
    expect({ lost: audit.lost, lostEvents: audit.lostEvents.slice(0, 5), devicesMismatched: audit.devicesMismatched.slice(0, 5) })
      .toEqual({ lost: 0, lostEvents: [], devicesMismatched: [] });
    expect(audit.applied + audit.superseded + audit.deadLettered + audit.parked).toBe(audit.sent);
  });
});
