import { mkdtemp, rm } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { CosmosClient, type Container } from '@azure/cosmos';
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { connectStorage, StorageDeadLetterQueue } from '@telemetry/azure-storage-queue';
import type { Telemetry } from '@telemetry/device-state';
import { comparableState, expectedStates, makeTelemetry } from '@telemetry/device-state/testing';
import type { SpawnedHost } from '@telemetry/local-host';
import { waitUntil, type FaultProxy } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';
import { TableParkingStore } from '@telemetry/azure-tables';
import { type ParkedSummary, type ReprocessorMetricsSnapshot } from '@telemetry/reprocessing';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { redriveCommand, resolveTarget, type CliIo } from '@telemetry/dlq-cli';
import { startBreakerStub, type BreakerStub } from './testing/breaker-stub';

const DEVICES = 8;
const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

interface Bad { body: Buffer; code: string; deviceId: string; intended: Telemetry }

/** Bad bodies that still name their device (as bad input often does), with the event they should have been. */
function badEvent(i: number): Bad {
  const intended = makeTelemetry(i % DEVICES, 500 + i, { battery: 0.9 });
  const json = JSON.stringify(intended);
  const kinds: [string, Buffer][] = [
    ['EVENT_MALFORMED', Buffer.from(json.slice(0, -3))],
    ['EVENT_INVALID', Buffer.from(JSON.stringify({ ...intended, battery: 9 }))],
    ['EVENT_ENCODING', Buffer.concat([Buffer.from(json.slice(0, -1)), Buffer.from(',"n":"'), Buffer.from([0xc3, 0x28]), Buffer.from('"}')])],
  ];
  const [code, body] = kinds[i % kinds.length]!;
  return { body, code, deviceId: intended.deviceId, intended };
}

describe('end to end under the local host: ingestion + reprocessor, Cosmos outage, parking, redrive', () => {
  let dataDir: string;
  let stack: LocalStack;
  let proxy: FaultProxy;
  let breaker: BreakerStub;
  let ingestion: SpawnedHost;
  let reprocessor: SpawnedHost;
  let devices: Container;
  let dlq: StorageDeadLetterQueue;
  let parking: TableParkingStore;
  let producer: EventHubProducerClient;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'reprocessor-e2e-'));
    breaker = await startBreakerStub();
    // Store calls of 3 s: the outage fails fast enough, and a healthy write on a loaded machine is not dead-lettered.
    const common = { COSMOS_REQUEST_TIMEOUT_MS: '3000', STORE_CALL_TIMEOUT_MS: '3000', STORE_MAX_ATTEMPTS: '2', STORE_RETRY_BASE_MS: '20', STORE_RETRY_MAX_MS: '100' };
    stack = await startLocalStack({
      dataDir, apps: ['ingestion', 'dead-letter-reprocessor'], partitions: 2,
      settingsOverrides: {
        ingestion: common,
        'dead-letter-reprocessor': {
          ...common, REPROCESS_BACKOFF_BASE_SECONDS: '1', REPROCESS_BACKOFF_MAX_SECONDS: '2', REPROCESS_MAX_ATTEMPTS: '30',
          BREAKER_STATUS_URL: breaker.url, BREAKER_STATUS_KEY: breaker.key, BREAKER_STATUS_CACHE_MS: '200', BREAKER_DEFER_SECONDS: '1',
        },
      },
    });
    const d = stack.descriptor;
    proxy = stack.cosmosProxy;
    ingestion = stack.hosts.get('ingestion')!;
    reprocessor = stack.hosts.get('dead-letter-reprocessor')!;
    const direct = new CosmosClient({ endpoint: stack.cosmos.endpoint, key: stack.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    devices = direct.database(d.cosmos.database).container(d.cosmos.container);
    const { queues, blobs } = connectStorage({ connectionString: d.storage.connectionString });
    const container = blobs.getContainerClient(d.queues.claimCheckContainer);
    dlq = new StorageDeadLetterQueue(queues.getQueueClient(d.queues.deadLetter), container);
    parking = new TableParkingStore(TableClient.fromConnectionString(d.storage.connectionString, d.queues.parkingTable, { allowInsecureConnection: true }), container);
    producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
  }, 300_000);
  afterAll(async () => {
    await producer?.close();
    await stack?.stop();
    await breaker?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }, 120_000);

  async function send(items: { body: Buffer; deviceId: string }[]): Promise<void> {
    const byDevice = new Map<string, EventData[]>();
    items.forEach((item, i) => byDevice.set(item.deviceId, [...(byDevice.get(item.deviceId) ?? []), { body: item.body, properties: { source: 'e2e', n: i } }]));
    await Promise.all([...byDevice].map(([deviceId, events]) => producer.sendBatch(events, { partitionKey: deviceId })));
  }
  const ingested = async (): Promise<number> => (await ingestion.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0;
  const instanceStats = async (): Promise<ReprocessorMetricsSnapshot> => {
    const response = await fetch(`${reprocessor.baseUrl}/api/reprocessor/stats`, { headers: { 'x-functions-key': reprocessor.functionKey } });
    return ((await response.json()) as { instance: ReprocessorMetricsSnapshot }).instance;
  };
  const stored = async () => new Map((await devices.items.readAll().fetchAll()).resources.map((d) => [d.id as string, comparableState(d)]));
  const sorted = <V>(m: Map<string, V>) => new Map([...m].sort(([a], [b]) => a.localeCompare(b)));
  /** A canonical text of a map (JSON.stringify of a Map itself is always "{}"). */
  const canon = <V>(m: Map<string, V>): string => JSON.stringify([...sorted(m)]);
  const parked = async (): Promise<ParkedSummary[]> => {
    const out: ParkedSummary[] = [];
    for await (const s of parking.list()) out.push(s);
    return out;
  };
  const sum = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

  it('an outage dead-letters events as retryable; after recovery the reprocessor applies them and bad events are parked; a fixed redrive applies; replays change nothing', async () => {
    const before = Array.from({ length: 60 }, (_, i) => makeTelemetry(i % DEVICES, i, { battery: (i % 10) / 10, flightMode: i % 8 }));
    const bad = Array.from({ length: 6 }, (_, i) => badEvent(i));
    await send([...before.map((t) => ({ body: Buffer.from(JSON.stringify(t)), deviceId: t.deviceId })), ...bad]);
    await waitUntil(async () => (await ingested()) >= 66, { timeoutMs: 60_000, intervalMs: 250, description: 'first events ingested' });

    // Cosmos goes down; the breaker (stub) opens as the real one would.
    proxy.setMode({ kind: 'down' });
    breaker.setState('open');
    const during = Array.from({ length: 60 }, (_, i) => makeTelemetry(i % DEVICES, 100 + ((i * 37) % 300), { battery: ((i * 7) % 10) / 10, position: { latitude: i, longitude: -i, altitude: 10 * i } }));
    await send(during.map((t) => ({ body: Buffer.from(JSON.stringify(t)), deviceId: t.deviceId })));
    await waitUntil(async () => (await ingested()) >= 126, { timeoutMs: 120_000, intervalMs: 250, description: 'outage events ingested (dead-lettered)' });
    await waitUntil(async () => sum((await instanceStats()).deferred) > 0, { timeoutMs: 60_000, intervalMs: 250, description: 'reprocessor deferring while the breaker is open' });
    expect(sum((await instanceStats()).reprocessed)).toBe(0);

    proxy.setMode({ kind: 'pass' });
    breaker.setState('closed');
    const valid = [...before, ...during];
    await waitUntil(async () => canon(await stored()) === canon(expectedStates(valid)), {
      timeoutMs: 120_000, intervalMs: 500, description: 'device state equal to the model of all valid events',
    });
    await waitUntil(async () => (await dlq.queue.getProperties()).approximateMessagesCount === 0 && (await parked()).length === bad.length, { timeoutMs: 60_000, intervalMs: 250, description: 'queue drained' });

    // Every outage event was dead-lettered with a retryable store code and reprocessed once.
    const reprocessed = (await instanceStats()).reprocessed;
    expect(Object.keys(reprocessed).every((c) => ['STORE_UNAVAILABLE', 'STORE_TIMEOUT'].includes(c))).toBe(true);
    expect(sum(reprocessed)).toBe(during.length);

    // Bad events are parked with their reason and original bytes.
    const entries = await parked();
    expect(new Set(entries.map((e) => e.code))).toEqual(new Set(bad.map((b) => b.code)));
    for (const entry of entries) {
      const full = (await parking.get(entry.id))!;
      const source = bad.find((b) => sha(b.body) === full.letter.bodySha256)!;
      expect(source).toBeDefined();
      expect(Buffer.from(full.letter.body!, 'base64')).toEqual(source.body);
      expect(full).toMatchObject({ code: source.code, reason: expect.stringMatching(new RegExp(`^${source.code}: .+`)), letter: { deviceId: source.deviceId, properties: { source: 'e2e' } } });
    }

    // An operator fixes one malformed event and redrives it: it is applied.
    const malformed = entries.find((e) => e.code === 'EVENT_MALFORMED')!;
    const full = (await parking.get(malformed.id))!;
    const source = bad.find((b) => sha(b.body) === full.letter.bodySha256)!;
    // through the operator CLI's command function, as `npm run dlq -- redrive <id> --body-file fixed.json` runs it
    const d = stack.descriptor;
    const cli = resolveTarget({ storageConnectionString: d.storage.connectionString, queue: d.queues.deadLetter, claimCheckContainer: d.queues.claimCheckContainer, parkingTable: d.queues.parkingTable }, {});
    const quiet: CliIo = { out: () => undefined, err: () => undefined, confirm: async () => false, interactive: false, stderr: process.stderr, fail: () => undefined };
    const redriven = await redriveCommand(cli, quiet, [malformed.id], {
      from: 'parked', to: 'reprocessor', body: Buffer.from(JSON.stringify(source.intended)), reason: 'closed the JSON', by: 'e2e', dryRun: false, json: true,
    });
    expect(redriven).toMatchObject({ redriven: [malformed.id], failed: [] });
    const withFix = [...valid, source.intended];
    await waitUntil(async () => canon(await stored()) === canon(expectedStates(withFix)), { timeoutMs: 60_000, intervalMs: 250, description: 'redriven event applied' });
    expect(await parking.get(malformed.id)).toBeUndefined();

    // Replaying every outage event again changes nothing: no document is written.
    const etags = async () => new Map((await devices.items.readAll().fetchAll()).resources.map((d) => [d.id as string, d._etag as string]));
    const stateBefore = canon(await stored());
    const etagsBefore = sorted(await etags());
    // Enqueued when the devices sent them: the fixture's fixed enqueue time precedes these device
    // clocks by more than MAX_CLOCK_SKEW_SECONDS, which would park them as EVENT_CLOCK_SKEW.
    await Promise.all(during.map((t) => dlq.enqueue({ ...deadLetterFor('STORE_UNAVAILABLE', t), enqueuedTimeUtc: t.timestamp })));
    // outage letters + the redriven fix + the replays, each reprocessed exactly once
    await waitUntil(async () => sum((await instanceStats()).reprocessed) === 2 * during.length + 1, { timeoutMs: 60_000, intervalMs: 250, description: 'replays reprocessed' });
    // No document was replaced (a write attempt on a stale cached ETag may happen, and fails with 412).
    expect(sorted(await etags())).toEqual(etagsBefore);
    expect(canon(await stored())).toBe(stateBefore);
  }, 600_000);
});
