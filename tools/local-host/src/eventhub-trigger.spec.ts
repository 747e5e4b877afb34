import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DELIVERY_LOG_SETTING, parseJournal, spawnHost, type SpawnedHost } from './index';
import { checkpoints, namespaceConnection, send } from './testing/eventhub-harness';
import { fixture, readRecords, recordFile } from './testing/records';

interface IngestRecord {
  pid: number;
  fn: 'ingest';
  allBuffers: boolean;
  bodies: string[];
  metadata: {
    partitionContext: { eventHubName: string; consumerGroup: string; fullyQualifiedNamespace: string; partitionId: string };
    sequenceNumberArray: number[];
    offsetArray: number[];
    partitionKeyArray: unknown[];
    enqueuedTimeUtcArray: string[];
    propertiesArray: Record<string, unknown>[];
    systemPropertiesArray: Record<string, unknown>[];
  };
  retryContext: { retryCount: number; maxRetryCount: number } | null;
}

const HUBS = ['meta', 'single-hub', 'retry', 'noretry', 'pause', 'shared'];
const text = (b64: string): string => Buffer.from(b64, 'base64').toString('utf8');

describe('Event Hubs trigger (emulator + Azurite, spawned hosts)', () => {
  let emulator: EventHubsEmulator;
  let azurite: AzuriteInstance;
  let connection: string;
  const hosts: SpawnedHost[] = [];

  async function host(records: string, settings: Record<string, string>): Promise<SpawnedHost> {
    const spawned = await spawnHost({
      app: fixture('eventhub-app/main.ts'),
      settings: { AzureWebJobsStorage: azurite.connectionString, EventHubConn: connection, RECORD_FILE: records, AzureWebJobs_single_Disabled: 'true', ...settings },
    });
    hosts.push(spawned);
    return spawned;
  }
  const ingests = (file: string): IngestRecord[] => readRecords<IngestRecord>(file).filter((r) => r.fn === 'ingest');
  const processedTexts = (file: string): string[] => ingests(file).flatMap((r) => r.bodies.map(text));

  beforeAll(async () => {
    [emulator, azurite] = await Promise.all([
      start({ port: 0, hubs: HUBS.map((name) => ({ name, partitions: name === 'shared' ? 4 : 2 })) }),
      startAzurite(),
    ]);
    connection = namespaceConnection(emulator.connectionString);
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await emulator?.close();
    await azurite?.stop();
  });

  it('delivers binary batches with the host metadata arrays; cardinality one gets singular names and JSON', async () => {
    const records = recordFile('eh-meta');
    const h = await host(records, { HUB_NAME: 'meta', SINGLE_HUB: 'single-hub', AzureWebJobs_single_Disabled: 'false' });
    const raw = [Buffer.from([0xff, 0x00, 0x7b]), Buffer.from('{"t":1}'), Buffer.from('plain text')];
    await send(connection, 'meta', raw.map((body, i) => ({ body, properties: { DeviceId: 'd1', n: i } })), '1');
    await send(connection, 'single-hub', [{ body: { temperature: 21.5 }, properties: { Kind: 'json' } }], '0');

    await waitUntil(() => ingests(records).flatMap((r) => r.bodies).length >= 3, { timeoutMs: 150_000, description: 'meta batch' });
    const batches = ingests(records);
    const bodies = batches.flatMap((r) => r.bodies).map((b) => Buffer.from(b, 'base64'));
    expect(bodies).toEqual(raw); // raw bytes, untouched (dataType binary)
    const first = batches[0]!;
    expect(first.allBuffers).toBe(true);
    const m = first.metadata;
    expect(m.partitionContext).toEqual({ eventHubName: 'meta', consumerGroup: '$Default', fullyQualifiedNamespace: expect.any(String), partitionId: '1' });
    const n = first.bodies.length;
    for (const key of ['sequenceNumberArray', 'offsetArray', 'enqueuedTimeUtcArray', 'propertiesArray', 'systemPropertiesArray'] as const) {
      expect(m[key]).toHaveLength(n);
    }
    // As Azure delivers them: the host's string collections lose null entries (keyless events) and
    // the library JSON-parses each string (offsets arrive as numbers); DateTimes carry no zone.
    expect(m.partitionKeyArray).toEqual([]);
    expect(m.systemPropertiesArray[0]).toMatchObject({ partitionKey: null, offset: m.offsetArray[0] });
    expect(m.sequenceNumberArray).toEqual([...m.sequenceNumberArray].sort((a, b) => a - b));
    expect(typeof m.offsetArray[0]).toBe('number');
    expect(m.enqueuedTimeUtcArray[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?$/);
    // The library camel-cases metadata keys, also user property names (as in Azure).
    expect(m.propertiesArray[0]).toEqual({ deviceId: 'd1', n: 0 });
    expect(m.systemPropertiesArray[0]).toMatchObject({ 'x-opt-sequence-number': m.sequenceNumberArray[0], sequenceNumber: m.sequenceNumberArray[0] });

    const singles = (): { fn: string; message: unknown; metadata: Record<string, unknown> }[] =>
      readRecords<{ fn: string; message: unknown; metadata: Record<string, unknown> }>(records).filter((r) => r.fn === 'single');
    await waitUntil(() => singles().length > 0, { timeoutMs: 150_000, description: 'single event' });
    const [single] = singles();
    expect(single!.message).toEqual({ temperature: 21.5 });
    expect(single!.metadata).toMatchObject({ partitionContext: { eventHubName: 'single-hub', partitionId: '0' }, sequenceNumber: expect.any(Number), properties: { kind: 'json' } });
    expect(single!.metadata).not.toHaveProperty('sequenceNumberArray');

    const lastSequence = batches.at(-1)!.metadata.sequenceNumberArray.at(-1);
    await waitUntil(async () => (await checkpoints(azurite.connectionString, m.partitionContext.fullyQualifiedNamespace, 'meta'))['1'] === lastSequence, {
      timeoutMs: 150_000,
      description: 'checkpoint at the last event of the batch',
    });
    const metrics = (await h.admin.metrics())['ingest']!;
    expect(metrics).toMatchObject({ eventsProcessed: 3, failures: 0 });
    expect(metrics.enqueueToCompletionMs?.p50).toEqual(expect.any(Number));
    expect(metrics.enqueueToCompletionMs?.p99).toEqual(expect.any(Number));
  });

  it('a retry policy re-runs the whole batch, then the checkpoint moves past it; the delivery journal records each invocation', async () => {
    const records = recordFile('eh-retry');
    const journalDir = path.join(path.dirname(records), 'journal');
    const h = await host(records, { HUB_NAME: 'retry', SINGLE_HUB: 'unused', FAIL_FIRST: '2', RETRY_COUNT: '3', [DELIVERY_LOG_SETTING]: journalDir });
    await send(connection, 'retry', ['a', 'b', 'c'].map((body) => ({ body: Buffer.from(body) })), '0');
    await waitUntil(() => ingests(records).length >= 3, { timeoutMs: 150_000, description: '3 attempts' });
    const runs = ingests(records);
    expect(runs.map((r) => r.bodies.map(text))).toEqual([['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
    expect(runs.map((r) => r.retryContext)).toEqual([0, 1, 2].map((retryCount) => expect.objectContaining({ retryCount, maxRetryCount: 3 })));
    expect(runs[1]!.retryContext).toMatchObject({ exception: { message: 'failing invocation 1 of 2' } });
    const last = runs[0]!.metadata.sequenceNumberArray.at(-1);
    await waitUntil(async () => (await checkpoints(azurite.connectionString, runs[0]!.metadata.partitionContext.fullyQualifiedNamespace, 'retry'))['0'] === last, { timeoutMs: 150_000, description: 'checkpoint after retries' });
    expect((await h.admin.metrics())['ingest']).toMatchObject({ invocations: 3, failures: 2, successes: 1, retries: 2, eventsProcessed: 3 });
    // One journal file for this host; every invocation (each retry) is a `start` with the batch's (partition, sequence numbers).
    const files = readdirSync(journalDir);
    expect(files).toEqual([expect.stringMatching(new RegExp(`^ingest\\.${h.pid}\\.\\d+\\.ndjson$`))]);
    const journal = parseJournal(readFileSync(path.join(journalDir, files[0]!))).records;
    const seqs = runs[0]!.metadata.sequenceNumberArray;
    const starts = journal.filter((r) => r.k === 'start');
    expect(starts).toEqual([0, 1, 2].map((retry) => expect.objectContaining({ fn: 'ingest', p: '0', seq: [[seqs[0], seqs.at(-1)]], retry })));
    expect(journal.filter((r) => r.k === 'end').map((r) => r.k === 'end' && r.ok)).toEqual([false, false, true]);
    expect(journal.find((r) => r.k === 'open')).toMatchObject({ fn: 'ingest' });
  });

  it('a batch that throws without a retry policy is still checkpointed (and not redelivered)', async () => {
    const records = recordFile('eh-noretry');
    await host(records, { HUB_NAME: 'noretry', SINGLE_HUB: 'unused', FAIL_FIRST: '1' });
    await send(connection, 'noretry', [{ body: Buffer.from('x1') }, { body: Buffer.from('x2') }], '0');
    await waitUntil(() => ingests(records).length >= 1, { timeoutMs: 150_000, description: 'failed batch' });
    const [failed] = ingests(records);
    const fqns = failed!.metadata.partitionContext.fullyQualifiedNamespace;
    await waitUntil(async () => (await checkpoints(azurite.connectionString, fqns, 'noretry'))['0'] === failed!.metadata.sequenceNumberArray.at(-1), { timeoutMs: 150_000, description: 'checkpoint after failure' });
    await send(connection, 'noretry', [{ body: Buffer.from('x3') }], '0');
    await waitUntil(() => processedTexts(records).includes('x3'), { timeoutMs: 150_000, description: 'x3' });
    expect(processedTexts(records)).toEqual(['x1', 'x2', 'x3']);
  });

  it('pause checkpoints the in-flight batch and stops; resume and a restarted host continue from the checkpoint: nothing lost, nothing twice', async () => {
    const records = recordFile('eh-pause');
    const settings = { HUB_NAME: 'pause', SINGLE_HUB: 'unused' };
    const h = await host(records, settings);
    const batch = (prefix: string): { body: Buffer }[] => Array.from({ length: 10 }, (_, i) => ({ body: Buffer.from(`${prefix}-${i}`) }));
    await Promise.all([send(connection, 'pause', batch('p0a'), '0'), send(connection, 'pause', batch('p1a'), '1')]);
    await waitUntil(() => processedTexts(records).length === 20, { timeoutMs: 150_000, description: 'first 20' });
    expect((await h.admin.pause('ingest')).paused).toBe(true);
    await Promise.all([send(connection, 'pause', batch('p0b'), '0'), send(connection, 'pause', batch('p1b'), '1')]);
    expect(processedTexts(records)).toHaveLength(20);
    expect((await h.admin.listFunctions()).find((f) => f.name === 'ingest')).toMatchObject({ state: 'paused', paused: true });
    await h.admin.resume('ingest');
    await waitUntil(() => processedTexts(records).length >= 40, { timeoutMs: 150_000, description: 'all 40 after resume' });
    await h.stop(60_000); // SIGTERM: graceful, checkpoints kept (a long grace: a SIGKILL on a loaded machine would redeliver)
    const again = await host(records, settings);
    await send(connection, 'pause', [{ body: Buffer.from('after-restart') }], '0');
    await waitUntil(() => processedTexts(records).includes('after-restart'), { timeoutMs: 150_000, description: 'event after restart' });
    const all = processedTexts(records);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(41);
    await again.stop();
  });

  it('two hosts on one hub share its partitions through the checkpoint store', async () => {
    const records = recordFile('eh-shared');
    const settings = { HUB_NAME: 'shared', SINGLE_HUB: 'unused' };
    const [a, b] = [await host(records, settings), await host(records, settings)];
    const { checkpointStore } = await import('./testing/eventhub-harness');
    const store = checkpointStore(azurite.connectionString);
    const fqns = '127.0.0.1';
    await waitUntil(async () => {
      const list = await store.listOwnership(fqns, 'shared', '$Default');
      const owners = new Map<string, number>();
      for (const o of list) if (o.ownerId) owners.set(o.ownerId, (owners.get(o.ownerId) ?? 0) + 1);
      return list.length === 4 && owners.size === 2 && [...owners.values()].every((n) => n === 2);
    }, { timeoutMs: 120_000, intervalMs: 250, description: 'two owners with two partitions each' });
    await Promise.all(['0', '1', '2', '3'].map((p) => send(connection, 'shared', Array.from({ length: 5 }, (_, i) => ({ body: Buffer.from(`s${p}-${i}`) })), p)));
    await waitUntil(() => new Set(processedTexts(records)).size === 20, { timeoutMs: 150_000, description: 'all 20 shared events' });
    const pids = new Set(ingests(records).map((r) => r.pid));
    expect(pids).toEqual(new Set([a.pid, b.pid]));
  });
});
