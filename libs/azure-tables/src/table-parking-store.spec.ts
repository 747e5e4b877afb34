import { TableClient } from '@azure/data-tables';
import { BlobServiceClient } from '@azure/storage-blob';
import { silentLogger } from '@telemetry/core';
import type { DeadLetter } from '@telemetry/contracts';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { parkPoisonedDeadLetter, ReprocessorMetrics, type ParkedLetter } from '@telemetry/reprocessing';
import { deadLetterFor, InMemoryDeadLetterQueue } from '@telemetry/reprocessing/testing';
import { TableParkingStore } from './table-parking-store';

/** A letter as a queue writer may craft it: any JSON where the format says string or number. */
const hostile = (fields: Record<string, unknown>, issue: Record<string, unknown> = {}): DeadLetter => {
  const letter = deadLetterFor('STORE_UNAVAILABLE', Buffer.from('{"deviceId":"drone-00001"}'));
  // Through JSON, as the queue trigger delivers it.
  return JSON.parse(JSON.stringify({ ...letter, ...fields, issue: { ...letter.issue, ...issue } })) as DeadLetter;
};

describe('TableParkingStore on Azurite: every letter can be parked', () => {
  let azurite: AzuriteInstance;
  let n = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  const newStore = (): TableParkingStore => {
    n++;
    const table = TableClient.fromConnectionString(azurite.connectionString, `hostileparking${n}`, { allowInsecureConnection: true });
    const container = BlobServiceClient.fromConnectionString(azurite.connectionString).getContainerClient(`hostileparked${n}`);
    // One try per call: a letter the store cannot write must fail the test, not ride out retries.
    return new TableParkingStore(table, container, { maxAttempts: 1, initialDelayMs: 1, maxDelayMs: 1 });
  };

  // The three letters the review found could never be parked (each failed the reprocessor, then
  // the poison handler, 5 times), and their kin.
  it.each<[string, DeadLetter]>([
    ['failedAt "garbage"', hostile({ failedAt: 'garbage' })],
    ['an object issue.code', hostile({}, { code: { nested: 'EVENT_INVALID' } })],
    ['an object deviceId', hostile({ deviceId: { id: 'drone-00001' } })],
    ['failedAt before 1601 (Azure rejects it; Azurite does not)', hostile({ failedAt: '0001-01-01T00:00:00.000Z' })],
    ['a number failedAt', hostile({ failedAt: 12 })],
    ['a number deviceId and code', hostile({ deviceId: 42 }, { code: 7 })],
    ['an array deviceId', hostile({ deviceId: ['a', 'b'] })],
    ['a deviceId too long for a Table property', hostile({ deviceId: 'd'.repeat(40_000) })],
    ['a string bodyBytes', hostile({ bodyBytes: '12' })],
    ['an object bodyBytes', hostile({ bodyBytes: { n: 1 } })],
    ['a code too long for a key (the letter outgrows the entity: a blob in a container not made yet)', hostile({}, { code: `X${'Y'.repeat(70_000)}` })],
  ])('%s: parks through the poison path and reads back as it came', async (_name, letter) => {
    const parking = newStore();
    const outcome = await parkPoisonedDeadLetter(letter, { queue: new InMemoryDeadLetterQueue(), parking, metrics: new ReprocessorMetrics(), logger: silentLogger }, 5);
    // A code that is not text is not a letter (the codec refuses it): it is wrapped and parked whole, as UNKNOWN.
    const asLetter = typeof letter.issue.code === 'string';
    expect(outcome).toMatchObject({ action: 'parked', ...(asLetter ? { deadLetterId: letter.id } : {}) });
    const id = (outcome as { deadLetterId: string }).deadLetterId;

    const parked = await parking.get(id);
    if (asLetter) expect(parked?.letter).toEqual(letter);
    else expect(JSON.parse(Buffer.from(parked!.letter.body!, 'base64').toString('utf8'))).toMatchObject({ id: letter.id, schema: letter.schema, issue: letter.issue });
    expect(parked).toMatchObject({ id, by: 'poison', attempts: 0 });
    const filedUnder = typeof letter.issue.code === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(letter.issue.code) ? letter.issue.code : 'UNKNOWN';
    expect(parked?.code).toBe(filedUnder);

    const [summary, ...more] = await listAll(parking);
    expect(more).toEqual([]);
    expect(summary).toMatchObject({ id, code: filedUnder, originalCode: filedUnder, by: 'poison' });
    expect(summary?.deviceId === null || typeof summary?.deviceId === 'string').toBe(true);
    expect(Number.isFinite(summary?.bodyBytes)).toBe(true);
    expect(await parking.countByCode()).toEqual([{ code: filedUnder, count: 1, oldestParkedAt: summary?.parkedAt, oldestFailedAt: summary?.failedAt || null }]);
  });

  it('keeps what it can read: a scalar deviceId as text, a valid failedAt as a date, a tampered attempt count as 0', async () => {
    const parking = newStore();
    const letter = hostile({ deviceId: 42, failedAt: '2026-11-21T22:00:00.000Z' });
    const entry = { id: letter.id, code: 'STORE_UNAVAILABLE', reason: 'r', parkedAt: '2026-11-22T00:00:00.000Z', attempts: '-9' as unknown as number, by: 'reprocessor', letter } satisfies ParkedLetter;
    await parking.park(entry);
    expect(await listAll(parking, { deviceId: '42' })).toEqual([expect.objectContaining({ id: letter.id, deviceId: '42', failedAt: '2026-11-21T22:00:00.000Z', attempts: 0 })]);
    expect((await parking.get(letter.id))?.letter).toEqual(letter);
  });
});

async function listAll(parking: TableParkingStore, query: Parameters<TableParkingStore['list']>[0] = {}) {
  const out = [];
  for await (const summary of parking.list(query)) out.push(summary);
  return out;
}
