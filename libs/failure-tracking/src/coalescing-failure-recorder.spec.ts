import fc from 'fast-check';
import { CoalescingFailureRecorder } from './coalescing-failure-recorder';
import { bucketStart } from './time-buckets';
import { InMemoryFailureCounter } from './testing';

describe('CoalescingFailureRecorder', () => {
  it('keeps the counts of a failed write for the next one', async () => {
    const counter = new InMemoryFailureCounter(() => 1_000_000);
    const recorder = new CoalescingFailureRecorder(counter, { clock: () => 1_000_000 });
    counter.failNext = 1;
    await expect(recorder.record({ STORE_UNAVAILABLE: 7 })).rejects.toThrow('unavailable');
    await recorder.record({ STORE_TIMEOUT: 1 });
    expect(await counter.windowTotal(30_000)).toMatchObject({ total: 8, byCode: { STORE_UNAVAILABLE: 7, STORE_TIMEOUT: 1 } });
  });

  it('writes nothing for an empty report', async () => {
    const counter = new InMemoryFailureCounter();
    await new CoalescingFailureRecorder(counter).record({});
    expect(counter.writes).toBe(0);
  });

  it('counts held through a failed write keep the time they happened: flushed after a close, they do not count after it', async () => {
    const now = { ms: Date.parse('2026-11-21T12:00:00Z') };
    const counter = new InMemoryFailureCounter(() => now.ms);
    const recorder = new CoalescingFailureRecorder(counter, { clock: () => now.ms });
    counter.failNext = 1;
    await expect(recorder.record({ STORE_UNAVAILABLE: 500 })).rejects.toThrow('unavailable');
    now.ms += 30 * 60_000; // the operator fixes the store and approves: the breaker closes now
    const closedAt = now.ms;
    now.ms += 10_000;
    await recorder.record({ STORE_TIMEOUT: 1 });
    expect(await counter.windowTotal(30_000, { notBefore: closedAt })).toMatchObject({ total: 1, byCode: { STORE_TIMEOUT: 1 } });
    // Nothing is lost: the 500 are in the bucket of 12:00.
    expect(await counter.windowTotal(10_000, { now: Date.parse('2026-11-21T12:00:04Z') })).toMatchObject({ total: 500 });
  });

  it('drops held counts older than the retention instead of writing them', async () => {
    const now = { ms: Date.parse('2026-11-21T12:00:00Z') };
    const counter = new InMemoryFailureCounter(() => now.ms);
    const recorder = new CoalescingFailureRecorder(counter, { clock: () => now.ms, maxAgeMs: 3_600_000 });
    counter.failNext = 1;
    await expect(recorder.record({ STORE_UNAVAILABLE: 500 })).rejects.toThrow();
    now.ms += 3_600_000 + 5_000;
    await recorder.record({ STORE_TIMEOUT: 2 });
    expect(await counter.windowTotal(3 * 3_600_000)).toMatchObject({ total: 2, byCode: { STORE_TIMEOUT: 2 } });
    expect(recorder.dropped).toEqual({ STORE_UNAVAILABLE: 500 });
  });

  it('for any interleaving of failed and successful writes, every count lands once, in the bucket of its report (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.record({ advanceMs: fc.integer({ min: 0, max: 20_000 }), n: fc.integer({ min: 0, max: 5 }), fail: fc.boolean() }), { maxLength: 30 }), async (steps) => {
        const now = { ms: 1_800_000_000_000 };
        const counter = new InMemoryFailureCounter(() => now.ms);
        const recorder = new CoalescingFailureRecorder(counter, { clock: () => now.ms });
        const expected = new Map<number, number>();
        for (const step of steps) {
          now.ms += step.advanceMs;
          if (step.n > 0) expected.set(bucketStart(now.ms, 5_000), (expected.get(bucketStart(now.ms, 5_000)) ?? 0) + step.n);
          counter.failNext = step.fail ? 1 : 0;
          await recorder.record({ STORE_UNAVAILABLE: step.n }).catch(() => undefined);
        }
        counter.failNext = 0;
        await recorder.record({});
        const landed = new Map([...counter.buckets].map(([start, c]) => [start, c.STORE_UNAVAILABLE ?? 0]));
        expect(landed).toEqual(expected);
      }),
    );
  });
});

