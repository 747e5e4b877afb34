import type { TableClient } from '@azure/data-tables';
import { startAzurite, type AzuriteInstance } from '@telemetry/local-services';
import { CoalescingFailureRecorder } from '@telemetry/failure-tracking';
import { ensureFailureTable } from '@telemetry/provisioning';
import { connectTable } from './table-connection';
import { tableConnectionFromSettings } from './table-connection-settings';
import { TableFailureCounter } from './table-failure-counter';

describe('TableFailureCounter on Azurite', () => {
  let azurite: AzuriteInstance;
  let tableNo = 0;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(async () => azurite?.stop());

  const newTable = async (): Promise<TableClient> => {
    const connection = tableConnectionFromSettings('FailureTracking', { FailureTracking: azurite.connectionString })!;
    const table = connectTable(connection, `failures${++tableNo}`);
    await ensureFailureTable(table);
    return table;
  };

  it('counts a window across writers, by code, and honours notBefore', async () => {
    let now = 1_800_000_000_000;
    const table = await newTable();
    const a = new TableFailureCounter(table, { clock: () => now });
    const b = new TableFailureCounter(table, { clock: () => now });
    await a.record({ STORE_UNAVAILABLE: 3 });
    await b.record({ STORE_UNAVAILABLE: 2, EVENT_INVALID: 1 });
    now += 10_000;
    await a.record({ STORE_TIMEOUT: 4 });
    const window = await b.windowTotal(30_000);
    expect(window.total).toBe(10);
    expect(window.byCode).toEqual({ STORE_UNAVAILABLE: 5, EVENT_INVALID: 1, STORE_TIMEOUT: 4 });
    // Failures from before a close no longer count after it.
    expect((await b.windowTotal(30_000, { notBefore: now - 1 })).total).toBe(4);
    now += 40_000;
    expect((await b.windowTotal(30_000)).total).toBe(0);
  });

  it('loses no increment when many writers contend for few rows', async () => {
    const now = 1_800_000_100_000;
    const table = await newTable();
    // 6 writers on 2 shards, 20 records each, all at once: ETag conflicts are certain.
    const writers = Array.from({ length: 6 }, () => new TableFailureCounter(table, { clock: () => now, shards: 2, maxAttempts: 100, callTimeoutMs: 20_000 }));
    await Promise.all(writers.flatMap((w) => Array.from({ length: 20 }, () => w.record({ STORE_UNAVAILABLE: 1 }))));
    const window = await writers[0]!.windowTotal(30_000);
    expect(window.total).toBe(120);
    expect(window.byCode).toEqual({ STORE_UNAVAILABLE: 120 });
  });

  it('coalesces a burst of batch reports into few writes, and prunes old buckets', async () => {
    let now = 1_800_000_200_000;
    const table = await newTable();
    const counter = new TableFailureCounter(table, { clock: () => now });
    let writes = 0;
    const counting = { record: (c: Parameters<typeof counter.record>[0]) => (writes++, counter.record(c)), windowTotal: counter.windowTotal.bind(counter) };
    const recorder = new CoalescingFailureRecorder(counting);
    await Promise.all(Array.from({ length: 200 }, () => recorder.record({ DEAD_LETTER_UNAVAILABLE: 5 })));
    expect((await counter.windowTotal(30_000)).total).toBe(1_000);
    expect(writes).toBeLessThanOrEqual(2);
    now += 2 * 3_600_000;
    expect(await counter.prune(3_600_000)).toBeGreaterThan(0);
    expect((await counter.windowTotal(3 * 3_600_000)).total).toBe(0);
  });
});
