import { documentsBehind, nearestRank, storeLatencies, storeLatency, type AcknowledgedWrite, type LatencyEvent } from './store-latency';

const T0 = Date.UTC(2030, 0, 1);
const iso = (ms: number): string => new Date(T0 + ms).toISOString();
/** An event of `id` with device timestamp T0+ts, enqueued at `enqueued`. */
const event = (id: string, ts: number, enqueued: number): LatencyEvent => ({ documentId: id, timestampMs: T0 + ts, enqueuedAtMs: enqueued });
const write = (id: string, lastEventTs: number, at: number): AcknowledgedWrite => ({ id, lastEventTime: iso(lastEventTs), at });

describe('store-boundary latency', () => {
  it('an event is stored by the first acknowledged write of its document carrying it (lastEventTime >= its timestamp): latency from its enqueue', () => {
    const events = [event('a', 1, 1_000), event('a', 2, 1_100), event('a', 3, 1_200), event('b', 1, 1_050)];
    // Write-behind: a's first two events land together at 3,000, its third at 6,000; b's at 2,000.
    const writes = [write('b', 1, 2_000), write('a', 2, 3_000), write('a', 3, 6_000)];
    expect(storeLatencies(events, writes)).toEqual([2_000, 1_900, 4_800, 950]);
  });

  it('takes the first write by answer time, whatever order the records come in, and ignores writes of other documents and older states', () => {
    const events = [event('a', 5, 1_000)];
    const writes = [write('a', 9, 4_000), write('b', 5, 1_500), write('a', 4, 1_800), write('a', 5, 2_500)];
    expect(storeLatencies(events, writes)).toEqual([1_500]);
  });

  it('a write carrying a newer event stores the older ones too (one write for several events)', () => {
    expect(storeLatencies([event('a', 1, 100), event('a', 2, 200)], [write('a', 7, 1_000)])).toEqual([900, 800]);
  });

  it('an older state landing after a newer one does not make a later event look stored earlier (running max, by answer time)', () => {
    // A retried old write lands last: the event at 8 was carried from the write at 2,000 on.
    expect(storeLatencies([event('a', 8, 1_000)], [write('a', 9, 2_000), write('a', 3, 3_000)])).toEqual([1_000]);
    expect(storeLatencies([event('a', 8, 1_000)], [write('a', 3, 2_000), write('a', 9, 3_000)])).toEqual([2_000]);
  });

  it('an event no write carries is missing, not in the percentiles; unparseable lastEventTime counts for nothing', () => {
    const events = [event('a', 1, 0), event('a', 2, 0), event('c', 1, 0)];
    const writes = [write('a', 1, 10), { id: 'a', lastEventTime: 'not a time', at: 20 }];
    expect(storeLatencies(events, writes)).toEqual([10, undefined, undefined]);
    expect(storeLatency(events, writes)).toEqual({ stored: 1, missing: 2, p50: 10, p99: 10, max: 10 });
  });

  it('p50/p99 are nearest-rank over the stored events (the host histogram rule), max exact', () => {
    const events = Array.from({ length: 200 }, (_, i) => event(`d${i}`, 1, 0));
    const writes = events.map((e, i) => write(e.documentId, 1, i + 1)); // latencies 1..200
    expect(storeLatency(events, writes)).toEqual({ stored: 200, missing: 0, p50: 100, p99: 198, max: 200 });
    expect(nearestRank([], 99)).toBeNull();
    expect(storeLatency([], writes)).toEqual({ stored: 0, missing: 0, p50: null, p99: null, max: null });
  });

  it('documentsBehind counts documents whose writes do not carry their newest event yet', () => {
    const newest = new Map([['a', T0 + 3], ['b', T0 + 1], ['c', T0 + 1]]);
    expect(documentsBehind(newest, [write('a', 2, 1), write('b', 1, 1)])).toBe(2);
    expect(documentsBehind(newest, [write('a', 2, 1), write('b', 1, 1), write('a', 4, 2), write('c', 1, 3)])).toBe(0);
  });
});
