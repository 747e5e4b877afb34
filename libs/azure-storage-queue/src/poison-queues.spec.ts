import { silentLogger } from '@telemetry/core';
import { encodeDeadLetter, letterQueueNames } from '@telemetry/contracts';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { TableClient } from '@azure/data-tables';
import { TableParkingStore } from '@telemetry/azure-tables';
import { parkPoisonedDeadLetter, ReprocessorMetrics, reprocessorTarget, type ParkingStore } from '@telemetry/reprocessing';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { deadLetterStats, peekPending } from './dead-letter-inventory';
import { DeadLetterStatsSource } from './dead-letter-stats-source';
import { rehomePoisonCopies } from './poison-rehome';
import { redriveQueue } from './queue-redrive';
import { connectStorage } from './storage-connection';
import { StorageDeadLetterQueue } from './storage-dead-letter-queue';

/** Issue 13 items 14 (every queue that can hold a letter is seen; none expires unnoticed) and 3 (copies are one letter). */
describe('poison queues and letter copies on Azurite', () => {
  let azurite: AzuriteInstance;
  let n = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  async function setup() {
    n++;
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const names = letterQueueNames(`pq${n}`);
    const [queue, poison, poisonPoison] = [names.pending, names.poison, names.poisonPoison].map((q) => queues.getQueueClient(q)) as [ReturnType<typeof queues.getQueueClient>, ReturnType<typeof queues.getQueueClient>, ReturnType<typeof queues.getQueueClient>];
    const container = blobs.getContainerClient(`pqbodies${n}`);
    await Promise.all([queue.create(), poison.create(), poisonPoison.create(), container.create()]);
    const table = TableClient.fromConnectionString(azurite.connectionString, `pqparking${n}`, { allowInsecureConnection: true });
    return { queues, queue, poison, poisonPoison, container, parking: new TableParkingStore(table, container), dlq: new StorageDeadLetterQueue(queue, container) };
  }

  it('a poison copy the host left with the default TTL is parked once parking works; until then it is kept, re-sent with TTL -1', async () => {
    const { poisonPoison, parking, dlq } = await setup();
    const letter = deadLetterFor('STORE_UNAVAILABLE', Buffer.from('{"deviceId":"drone-00009"}'));
    await poisonPoison.sendMessage(encodeDeadLetter(letter)); // as the host copies it: no TTL given, so 7 days
    expect((await poisonPoison.peekMessages()).peekedMessageItems[0]!.expiresOn!.getUTCFullYear()).toBeLessThan(9000);
    const failingParking: ParkingStore = {
      park: async () => {
        throw new Error('table down');
      },
      get: (id) => parking.get(id), list: (q) => parking.list(q), remove: (e) => parking.remove(e), countByCode: () => parking.countByCode(),
    };
    const deps = { queue: dlq, metrics: new ReprocessorMetrics(), logger: silentLogger };
    const down = await rehomePoisonCopies(poisonPoison, (text) => parkPoisonedDeadLetter(text, { ...deps, parking: failingParking }, 5));
    expect(down).toEqual({ parked: 0, rehomed: 1, kept: 0 });
    const [kept] = (await poisonPoison.peekMessages()).peekedMessageItems;
    expect(kept!.expiresOn!.getUTCFullYear()).toBeGreaterThan(9000);
    expect(Buffer.from(kept!.messageText, 'base64').toString('utf8')).toBe(JSON.stringify(letter));
    expect(await rehomePoisonCopies(poisonPoison, (text) => parkPoisonedDeadLetter(text, { ...deps, parking: failingParking }, 5))).toEqual({ parked: 0, rehomed: 0, kept: 1 });
    expect(await rehomePoisonCopies(poisonPoison, (text) => parkPoisonedDeadLetter(text, { ...deps, parking }, 5))).toEqual({ parked: 1, rehomed: 0, kept: 0 });
    expect(await parking.get(letter.id)).toMatchObject({ by: 'poison', reason: expect.stringMatching(/^poison: /) });
    expect((await poisonPoison.getProperties()).approximateMessagesCount).toBe(0);
  });

  it('a copy the host moved to -poison as it came (not base64: MessageDecodingFailed) is parked as the letter it is, not as decoded garbage', async () => {
    const { poison, parking, dlq } = await setup();
    const letter = deadLetterFor('STORE_UNAVAILABLE', Buffer.from('{"deviceId":"drone-00010"}'));
    await poison.sendMessage(JSON.stringify(letter)); // raw JSON text, as a hand-written message would be
    const deps = { queue: dlq, metrics: new ReprocessorMetrics(), logger: silentLogger };
    expect(await rehomePoisonCopies(poison, (text) => parkPoisonedDeadLetter(text, { ...deps, parking }, 5))).toEqual({ parked: 1, rehomed: 0, kept: 0 });
    expect(await parking.get(letter.id)).toMatchObject({ by: 'poison', code: 'STORE_UNAVAILABLE', letter: { id: letter.id } });
  });

  it('stats, the ops summary sample and list see -poison-poison, count copies once, and flag expiring messages', async () => {
    const { queues, queue, poison, poisonPoison, parking } = await setup();
    const a = deadLetterFor('STORE_TIMEOUT', Buffer.from('{"deviceId":"drone-00001"}'));
    const b = deadLetterFor('EVENT_INVALID', Buffer.from('{"deviceId":"drone-00002"}'));
    for (const l of [a, a, b]) await queue.sendMessage(encodeDeadLetter(l), { messageTimeToLive: -1 }); // a twice: a retried write
    await poisonPoison.sendMessage(encodeDeadLetter(b)); // default TTL, as the host copies
    const stats = await deadLetterStats({ deadLetterQueue: queue, poisonQueue: poison, poisonPoisonQueue: poisonPoison, parking });
    expect(stats.pending).toMatchObject({ approximateCount: 3, sampled: 2, sampleByCode: { STORE_TIMEOUT: 1, EVENT_INVALID: 1 }, duplicates: 1, expiring: 0 });
    expect(stats.poisonPoison).toMatchObject({ queue: poisonPoison.name, approximateCount: 1, sampleByCode: { EVENT_INVALID: 1 }, expiring: 1 });
    const listed = await peekPending(queue);
    expect(listed.map((p) => [p.id, p.copies])).toEqual([[a.id, 1], [b.id, 0]]);
    const sample = await DeadLetterStatsSource.forQueue(queues, queue.name).read();
    expect(sample).toMatchObject({ queue: queue.name, depth: 3, byCode: { STORE_TIMEOUT: 1, EVENT_INVALID: 1 }, duplicates: 1, expiring: 0 });
    expect(sample.poisonQueues).toMatchObject([
      { queue: poison.name, depth: 0 },
      { queue: poisonPoison.name, depth: 1, byCode: { EVENT_INVALID: 1 }, expiring: 1 },
    ]);
  });

  it('redrive sends a letter once however many copies the queue holds', async () => {
    const { queue, poison, dlq } = await setup();
    const a = deadLetterFor('STORE_TIMEOUT', Buffer.from('{"deviceId":"drone-00003"}'));
    for (let i = 0; i < 3; i++) await poison.sendMessage(encodeDeadLetter(a));
    const moved = await redriveQueue(poison, { query: {}, target: reprocessorTarget(dlq), resolve: (l) => dlq.resolve(l), redrive: { by: 'test' } });
    expect(moved).toMatchObject({ redriven: [a.id], duplicates: 2, failed: [] });
    expect((await poison.getProperties()).approximateMessagesCount).toBe(0);
    expect((await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems).toHaveLength(1);
  });
});
