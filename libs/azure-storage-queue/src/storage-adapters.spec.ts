import { TableClient } from '@azure/data-tables';
import { connectStorage } from './storage-connection';
import { decodeDeadLetter } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import { startAzurite, startFaultProxy, type AzuriteInstance } from '@telemetry/local-services';
import { deadLetterStats, peekPending } from './dead-letter-inventory';
import { silentLogger } from '@telemetry/core';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { redriveParked, reprocessDeadLetter, ReprocessorMetrics, reprocessorTarget, type ParkedLetter } from '@telemetry/reprocessing';
import { FakeBreakerStatus } from '@telemetry/reprocessing/testing';
import { StorageDeadLetterQueue } from './storage-dead-letter-queue';
import { TableParkingStore } from '@telemetry/azure-tables';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import { OVERSIZE_BODY_KEPT_BYTES } from '@telemetry/dead-letter';

describe('storage adapters on Azurite', () => {
  let azurite: AzuriteInstance;
  let n = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  async function setup() {
    n++;
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const queue = queues.getQueueClient(`dl${n}`);
    const poison = queues.getQueueClient(`dl${n}-poison`);
    const container = blobs.getContainerClient(`bodies${n}`);
    await Promise.all([queue.create(), container.create()]);
    const table = TableClient.fromConnectionString(azurite.connectionString, `parking${n}`, { allowInsecureConnection: true });
    return { queue, poison, container, parking: new TableParkingStore(table, container), dlq: new StorageDeadLetterQueue(queue, container) };
  }
  const parked = (letter: ReturnType<typeof deadLetterFor>, over: Partial<ParkedLetter> = {}): ParkedLetter => ({
    id: letter.id, code: letter.issue.code, reason: 'r', parkedAt: new Date().toISOString(), attempts: 0, by: 'reprocessor', letter, ...over,
  });

  it('parks (creating the table on first use), reads back byte for byte, filters, counts and removes', async () => {
    const { parking } = await setup();
    const malformed = deadLetterFor('EVENT_MALFORMED', Buffer.from('{"deviceId":"drone-00001",'));
    const invalid = deadLetterFor('EVENT_INVALID', Buffer.from('{"deviceId":"drone-00002"}'));
    const store = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(3, 1, { battery: 0.2 }));
    const big = deadLetterFor('EVENT_OVERSIZE', Buffer.alloc(70 * 1024, 0x61));
    for (const l of [malformed, invalid, store, big]) await parking.park(parked(l, { reason: `because ${l.issue.code}` }));
    await parking.park(parked(malformed, { reason: 'parked twice' })); // an upsert, not a second entry

    const got = await parking.get(big.id);
    expect(Buffer.from(got!.letter.body!, 'base64')).toEqual(Buffer.alloc(OVERSIZE_BODY_KEPT_BYTES, 0x61)); // an oversize body keeps its head only
    expect(await parking.get(malformed.id)).toMatchObject({ code: 'EVENT_MALFORMED', reason: 'parked twice', letter: { bodySha256: malformed.bodySha256 } });
    expect(await parking.get('nope')).toBeUndefined();

    const all = [];
    for await (const s of parking.list()) all.push(s);
    expect(all).toHaveLength(4);
    const byDevice = [];
    for await (const s of parking.list({ deviceId: 'drone-00003' })) byDevice.push(s.id);
    expect(byDevice).toEqual([store.id]);
    const byCode = [];
    for await (const s of parking.list({ code: 'EVENT_INVALID', from: new Date(Date.now() - 60_000) })) byCode.push(s.id);
    expect(byCode).toEqual([invalid.id]);
    const none = [];
    for await (const s of parking.list({ to: new Date(Date.now() - 60_000) })) none.push(s);
    expect(none).toEqual([]);

    expect((await parking.countByCode()).map((c) => [c.code, c.count])).toEqual([
      ['EVENT_INVALID', 1], ['EVENT_MALFORMED', 1], ['EVENT_OVERSIZE', 1], ['STORE_UNAVAILABLE', 1],
    ]);
    await parking.remove({ id: big.id, code: 'EVENT_OVERSIZE' });
    await parking.remove({ id: big.id, code: 'EVENT_OVERSIZE' }); // idempotent
    expect(await parking.get(big.id)).toBeUndefined();
  });

  it('a park or an enqueue the network swallows ends in its call timeout (STORE_TIMEOUT, retryable), and works once the network answers again', async () => {
    const { queue, container } = await setup();
    const tableProxy = await startFaultProxy(`http://127.0.0.1:${azurite.tablePort}`);
    const queueProxy = await startFaultProxy(`http://127.0.0.1:${azurite.queuePort}`);
    try {
      const via = (port: number, proxied: number): string => azurite.connectionString.replace(`:${port}/`, `:${proxied}/`);
      const { queues } = connectStorage({ connectionString: via(azurite.queuePort, queueProxy.port) });
      const table = TableClient.fromConnectionString(via(azurite.tablePort, tableProxy.port), `parking${n}`, { allowInsecureConnection: true });
      const retry = { maxAttempts: 2, initialDelayMs: 10, maxDelayMs: 20 };
      const parking = new TableParkingStore(table, container, retry, 500);
      const dlq = new StorageDeadLetterQueue(queues.getQueueClient(queue.name), container, retry, 500);
      const letter = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(7, 1));
      tableProxy.setMode({ kind: 'blackhole' });
      queueProxy.setMode({ kind: 'blackhole' });
      await expect(parking.park(parked(letter))).rejects.toMatchObject({ code: 'STORE_TIMEOUT', retryable: true });
      await expect(dlq.enqueue(letter)).rejects.toMatchObject({ code: 'STORE_TIMEOUT', retryable: true });
      // Every attempt reached the black hole and was given up by the client.
      expect(tableProxy.requests().filter((r) => r.held)).toHaveLength(retry.maxAttempts);
      expect(queueProxy.requests().filter((r) => r.held && r.method === 'POST')).toHaveLength(retry.maxAttempts);
      tableProxy.setMode({ kind: 'pass' });
      queueProxy.setMode({ kind: 'pass' });
      await parking.park(parked(letter));
      await dlq.enqueue(letter);
      expect(await parking.get(letter.id)).toMatchObject({ code: 'STORE_UNAVAILABLE' });
      expect((await queue.getProperties()).approximateMessagesCount).toBe(1);
    } finally {
      await tableProxy.close();
      await queueProxy.close();
    }
  });

  it('enqueues with a visibility delay, claim-checks big letters, and redrives a parked letter onto the queue', async () => {
    const { queue, dlq, parking, poison } = await setup();
    const late = deadLetterFor('STORE_TIMEOUT', makeTelemetry(4, 1));
    await dlq.enqueue(late, { delaySeconds: 3600 });
    expect(await peekPending(queue)).toEqual([]); // invisible for an hour
    expect((await queue.getProperties()).approximateMessagesCount).toBe(1);

    // Under the 64 KiB event limit (kept whole), over the queue's 64 KiB once base64: claim-checked.
    const big = deadLetterFor('EVENT_INVALID', Buffer.alloc(60 * 1024, 0x62));
    await parking.park(parked(big));
    const redriven = await redriveParked((await parking.get(big.id))!, reprocessorTarget(dlq), parking, { by: 'test', reason: 'limit raised' });
    expect(redriven.redrive).toMatchObject({ count: 1, by: 'test', reason: 'limit raised' });
    expect(await parking.get(big.id)).toBeUndefined();
    const [message] = (await queue.receiveMessages()).receivedMessageItems;
    const summary = decodeDeadLetter(message!.messageText);
    expect(summary).toMatchObject({ id: big.id, body: null, claimCheck: { blobName: `${big.id}.r1.json` }, redrive: { count: 1 } });
    const full = await dlq.resolve(summary);
    expect(Buffer.from(full.body!, 'base64')).toEqual(Buffer.alloc(60 * 1024, 0x62));

    const stats = await deadLetterStats({ deadLetterQueue: queue, poisonQueue: poison, poisonPoisonQueue: poison, parking });
    expect(stats).toMatchObject({ pending: { approximateCount: 2 }, poison: { approximateCount: 0 }, parked: { total: 0 } });
  });

  it('the reprocessor parks a letter whose claim check escapes the container, with the coded reason; purging it deletes nothing outside (issue 13 item 4)', async () => {
    const { queue, container, parking, dlq } = await setup();
    const { blobs } = connectStorage({ connectionString: azurite.connectionString });
    const outside = blobs.getContainerClient(`outside${n}`);
    await outside.create();
    const big = deadLetterFor('STORE_UNAVAILABLE', Buffer.alloc(60 * 1024, 0x65));
    await outside.getBlockBlobClient('victim.json').uploadData(Buffer.from(JSON.stringify(big)));
    const crafted = { ...big, body: null, claimCheck: { container: container.containerName, blobName: `../outside${n}/victim.json`, bytes: 1 } };
    const deps = {
      store: new InMemoryDeviceStateStore(), queue: dlq, parking, breaker: new FakeBreakerStatus(), metrics: new ReprocessorMetrics(), logger: silentLogger,
      policy: { maxAttempts: 5, unknownMaxAttempts: 3, backoffBaseSeconds: 10, backoffMaxSeconds: 60, breakerDeferSeconds: 45 },
    };
    const outcome = await reprocessDeadLetter(JSON.parse(JSON.stringify(crafted)) as object, deps);
    expect(outcome).toMatchObject({ action: 'parked', deadLetterId: big.id, reason: expect.stringMatching(/^CLAIM_CHECK_INVALID: /) });
    const entry = await parking.get(big.id);
    expect(entry).toMatchObject({ reason: expect.stringMatching(/CLAIM_CHECK_INVALID/), letter: { claimCheck: { blobName: `../outside${n}/victim.json` } } }); // kept as context
    expect(entry?.claimCheckBlob).toBeUndefined();
    expect(await peekPending(queue)).toEqual([]); // parked, not retried
    await parking.remove({ id: big.id, code: entry!.code, claimCheckBlob: `../outside${n}/victim.json` }); // even a crafted purge
    expect(await outside.getBlockBlobClient('victim.json').exists()).toBe(true);
  });
});
