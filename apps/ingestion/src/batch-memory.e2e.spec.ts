import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventHubProducerClient } from '@azure/event-hubs';
import { QueueClient } from '@azure/storage-queue';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';
import { waitUntil } from '@telemetry/local-services';
import { metricsDir, readMetricsSnapshotFile, startLocalStack, type LocalStack } from '@telemetry/local-stack';

// Generous: its own waits allow 150 s to process and the stack starts first; CI shares a loaded 2-core machine.
jest.setTimeout(420_000);

const { maxEventBatchSize, prefetchCount } = (JSON.parse(readFileSync(path.join(__dirname, '..', 'host.json'), 'utf8')) as {
  extensions: { eventHubs: { maxEventBatchSize: number; prefetchCount: number } };
}).extensions.eventHubs;
/** The instance the local host stands for (spawnHost's default, infra `instanceMemoryMB`). */
const INSTANCE_MB = 2048;
/** Just under Event Hubs Standard's 1 MB limit, which also counts the event's AMQP framing. */
const EVENT_BYTES = 1024 * 1024 - 1024;
/** A full batch, plus a full prefetch behind it. */
const COUNT = maxEventBatchSize + prefetchCount;
const FUNCTION = 'ingestTelemetry';

function oversizeBody(i: number): Buffer {
  const head = `{"deviceId":"drone-${String(i % 10).padStart(5, '0')}","timestamp":"2026-11-21T22:00:00Z","pad":"`;
  const body = Buffer.alloc(EVENT_BYTES, 0x78);
  body.write(head, 0, 'utf8');
  body.write(`${i}"}`, EVENT_BYTES - `${i}"}`.length, 'utf8');
  return body;
}

// Issue 13 item 5: a batch of maximum-size events must fit the instance. The bodies are Buffers
// (binary dataType), outside the V8 heap, so the measure is the host process's peak RSS.
describe('ingestion memory under the local host: a full batch of 1 MB events', () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    // Fail fast (before sending gigabytes) when host.json could not fit by construction.
    expect(COUNT * (EVENT_BYTES / 2 ** 20)).toBeLessThan(INSTANCE_MB);
    dataDir = await mkdtemp(path.join(tmpdir(), 'batch-memory-'));
    stack = await startLocalStack({
      dataDir, apps: ['ingestion'], partitions: 1,
      // Full batches: 1 MB events arrive slower than the SDK's ~20 ms batching window, so the
      // function waits for a whole batch, as the extension does with minEventBatchSize.
      hostJsonExtensions: { ingestion: { eventHubs: { minEventBatchSize: maxEventBatchSize, maxWaitTime: '00:00:05' } } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it(`keeps the host's peak RSS under ${INSTANCE_MB} MB, and dead-letters each event with its first 16 KiB, sha256 and length`, async () => {
    const d = stack.descriptor;
    const host = stack.hosts.get('ingestion')!;
    // Paused while the events go in, so the host then receives full batches with the prefetch behind them.
    await host.admin.pause(FUNCTION);
    const producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
    const sha = new Map<number, string>();
    const t0 = Date.now();
    try {
      // Four sends in flight; each event is its own batch (one 1 MB event fills one).
      let next = 0;
      await Promise.all([0, 1, 2, 3].map(async () => {
        for (let i = next++; i < COUNT; i = next++) {
          const body = oversizeBody(i);
          sha.set(i, createHash('sha256').update(body).digest('hex'));
          const batch = await producer.createBatch();
          expect(batch.tryAdd({ body, properties: { i } })).toBe(true);
          await producer.sendBatch(batch);
        }
      }));
    } finally {
      await producer.close();
    }
    const sent = Date.now();
    await host.admin.resume(FUNCTION);
    await waitUntil(async () => ((await host.admin.metrics())[FUNCTION]?.eventsProcessed ?? 0) >= COUNT, {
      timeoutMs: 150_000, description: `the host to process ${COUNT} events of 1 MB`,
    });

    const processed = Date.now();
    const { memory } = await host.admin.status();
    console.info(`batch-memory: ${COUNT} events of ${EVENT_BYTES} bytes (batch ${maxEventBatchSize}, prefetch ${prefetchCount}): host peak RSS ${memory.maxRssMb} MB, now ${memory.rssMb} MB; send ${sent - t0} ms, process ${processed - sent} ms`);
    expect(memory.maxRssMb).toBeLessThan(INSTANCE_MB);

    // The batches were full (the worst case was measured, not a trickle); the app flushes its metrics every 2 s.
    const snapshotFile = path.join(metricsDir(dataDir), 'ingestion-1.json');
    const counted = async () => (await readMetricsSnapshotFile(snapshotFile))?.snapshot;
    await waitUntil(async () => (await counted())?.counters.find((c) => c.name === 'telemetry.events.deadlettered' && c.attributes['code'] === 'EVENT_OVERSIZE')?.value === COUNT, {
      timeoutMs: 60_000, description: `the metrics snapshot to count ${COUNT} EVENT_OVERSIZE dead letters`,
    });
    expect((await counted())?.histograms.find((h) => h.name === 'telemetry.batch.size')?.max).toBe(maxEventBatchSize);

    const queue = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    const letters: DeadLetter[] = [];
    for (;;) {
      const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 600 });
      if (receivedMessageItems.length === 0) break;
      letters.push(...receivedMessageItems.map((m) => decodeDeadLetter(m.messageText)));
    }
    expect(letters).toHaveLength(COUNT);
    for (const letter of letters) {
      const i = Number(letter.properties['i']);
      expect({ code: letter.issue.code, bodyBytes: letter.bodyBytes, kept: Buffer.from(letter.body ?? '', 'base64').byteLength, claimCheck: letter.claimCheck, sha: letter.bodySha256 }).toEqual({
        code: 'EVENT_OVERSIZE', bodyBytes: EVENT_BYTES, kept: 16 * 1024, claimCheck: undefined, sha: sha.get(i),
      });
    }
  });
});
