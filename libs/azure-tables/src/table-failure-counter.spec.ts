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

  it('loses no increment when many writers record into one bucket at once', async () => {
    const now = 1_800_000_100_000;
    const table = await newTable();
    // 6 writers, 20 concurrent records each, one bucket.
    const writers = Array.from({ length: 6 }, () => new TableFailureCounter(table, { clock: () => now, callTimeoutMs: 20_000 }));
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
    const counting = { record: (c: Parameters<typeof counter.record>[0], at?: number) => (writes++, counter.record(c, at)), windowTotal: counter.windowTotal.bind(counter) };
    const recorder = new CoalescingFailureRecorder(counting, { clock: () => now });
    await Promise.all(Array.from({ length: 200 }, () => recorder.record({ DEAD_LETTER_UNAVAILABLE: 5 })));
    expect((await counter.windowTotal(30_000)).total).toBe(1_000);
    expect(writes).toBeLessThanOrEqual(2);
    now += 2 * 3_600_000;
    expect(await counter.prune(3_600_000)).toBeGreaterThan(0);
    expect((await counter.windowTotal(3 * 3_600_000)).total).toBe(0);
  });

  it('prunes a fleet\'s worth of rows in one call (one row per writer per bucket: 30 writers x 40 buckets), keeping the recent ones', async () => {
    let now = 1_800_000_300_000;
    const table = await newTable();
    const writers = Array.from({ length: 30 }, () => new TableFailureCounter(table, { clock: () => now, callTimeoutMs: 20_000 }));
    for (let bucket = 0; bucket < 40; bucket++) {
      await Promise.all(writers.map((w) => w.record({ EVENT_MALFORMED: 1 })));
      now += 5_000;
    }
    await writers[0]!.record({ STORE_UNAVAILABLE: 7 }); // a recent bucket
    now += 3_600_000;
    const pruner = new TableFailureCounter(table, { clock: () => now });
    expect(await pruner.prune(3_600_000)).toBe(1_200); // the frozen clock never spends the time budget
    expect((await pruner.windowTotal(3 * 3_600_000)).byCode).toEqual({ STORE_UNAVAILABLE: 7 });
  }, 120_000);

  it('counts whose write failed keep the time they happened: flushed 30 minutes later, after a close, they do not re-trip', async () => {
    let now = Date.parse('2026-11-21T12:00:00Z');
    const table = await newTable();
    const counter = new TableFailureCounter(table, { clock: () => now });
    let down = true;
    const recorder = new CoalescingFailureRecorder(
      { record: (c, at) => (down ? Promise.reject(new Error('failure table unavailable')) : counter.record(c, at)), windowTotal: counter.windowTotal.bind(counter) },
      { clock: () => now },
    );
    await expect(recorder.record({ STORE_UNAVAILABLE: 500 })).rejects.toThrow('unavailable');
    down = false;
    now += 30 * 60_000; // the operator fixed the store and approved: the breaker closed now
    const closedAt = now;
    now += 10_000;
    await recorder.record({ STORE_TIMEOUT: 1 });
    // What the monitor reads after the close: the blip only (threshold 100 is far).
    expect(await counter.windowTotal(30_000, { notBefore: closedAt })).toMatchObject({ total: 1, byCode: { STORE_TIMEOUT: 1 } });
    // The 500 are kept where they happened.
    expect((await counter.windowTotal(10_000, { now: Date.parse('2026-11-21T12:00:04Z') })).byCode).toEqual({ STORE_UNAVAILABLE: 500 });
  });

  it('drops counts older than the retention (what prune keeps) instead of writing them', async () => {
    const now = 1_800_000_300_000;
    const table = await newTable();
    const counter = new TableFailureCounter(table, { clock: () => now, retentionMs: 3_600_000 });
    await counter.record({ STORE_UNAVAILABLE: 7 }, now - 3_600_000 - 5_000);
    await counter.record({ STORE_UNAVAILABLE: 3 }, now - 3_600_000 + 5_000);
    expect((await counter.windowTotal(3 * 3_600_000)).byCode).toEqual({ STORE_UNAVAILABLE: 3 });
    expect(counter.dropped).toEqual({ STORE_UNAVAILABLE: 7 });
  });

  it('a write that timed out but landed is not counted twice when its counts are recorded again', async () => {
    let now = 1_800_000_400_000;
    const table = await newTable();
    // Every write reaches Azurite, then the caller sees a timeout, as when the 2 s cap fires after the service applied it.
    let landThenTimeOut = true;
    const writes = ['createEntity', 'updateEntity', 'upsertEntity'] as const;
    const flaky = new Proxy(table, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function') return value;
        const method = (value as (...args: unknown[]) => Promise<unknown>).bind(target);
        if (!(writes as readonly (string | symbol)[]).includes(property)) return method;
        return async (...args: unknown[]) => {
          const result = await method(...args);
          if (landThenTimeOut) throw Object.assign(new Error('The operation was aborted due to timeout'), { name: 'TimeoutError' });
          return result;
        };
      },
    });
    const counter = new TableFailureCounter(flaky, { clock: () => now });
    const recorder = new CoalescingFailureRecorder(counter, { clock: () => now });
    await expect(recorder.record({ STORE_UNAVAILABLE: 500 })).rejects.toThrow();
    landThenTimeOut = false;
    now += 1_000;
    await recorder.record({ STORE_TIMEOUT: 1 });
    expect((await counter.windowTotal(30_000)).byCode).toEqual({ STORE_UNAVAILABLE: 500, STORE_TIMEOUT: 1 });
  });
});

