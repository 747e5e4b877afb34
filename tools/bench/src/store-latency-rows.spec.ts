import type { ReferenceProfileResult, StoreBoundaryLatency } from './end-to-end';
import { latencyNote, windowRows } from './window-rows';

const point = (windowSeconds: number, storeLatency?: StoreBoundaryLatency): ReferenceProfileResult => ({
  windowSeconds, partitions: 32, devices: 1000, rate: 1000, seconds: 30, events: 30_000,
  latencyP50Ms: 2_600, latencyP99Ms: 4_900, storeReadsPerEvent: 0, storeWritesPerEvent: 0.19, hostPeakRssMb: 200, reconciled: true, eventsPerInvocation: 150, deadLettersByCode: {},
  ...(storeLatency ? { storeLatency, invocationLatencyP50Ms: 90, invocationLatencyP99Ms: 400 } : {}),
});
const measured = (missing: number): StoreBoundaryLatency => ({
  stored: 30_000 - missing, missing, maxMs: 5_100, startedAt: 'event-hubs enqueued time', sendTimeStandIns: 0, waitedMs: 4_000,
});

describe('store-boundary latency in the report', () => {
  it('says the latency is measured at the store boundary, from the enqueued time, with the host invocation figure beside it', () => {
    const note = latencyNote(point(5, measured(0)));
    expect(note).toContain('measured at the store boundary (the Cosmos proxy');
    expect(note).toContain('from the Event Hubs enqueued time');
    expect(note).toContain('none missing');
    expect(note).toContain('host invocation end p50 / p99 90 / 400 ms');
    expect(windowRows({ curve: [point(5, measured(0))] }).find((r) => r.name === 'window 5 s (32 partitions): latency p50 / p99 (enqueue -> stored)')).toMatchObject({ value: '2600 / 4900', note });
  });

  it('a send-time stand-in is named an overestimate; a result without the store boundary says it is the invocation end', () => {
    expect(latencyNote(point(5, { ...measured(0), startedAt: 'simulator send time', sendTimeStandIns: 30_000 }))).toContain('from the simulator send time (<= enqueue: overestimated)');
    expect(latencyNote(point(5))).toBe('enqueue -> end of the ingestion invocation (local Functions host metrics), not the store');
  });

  it('a window whose events never all landed does not meet the target, and says how many are missing', () => {
    const rows = windowRows({ curve: [point(5, measured(12))] });
    expect(rows.find((r) => r.name.startsWith('window meeting'))).toMatchObject({ value: 'none', met: false });
    expect(latencyNote(point(5, measured(12)))).toContain('12 events NEVER seen stored');
    expect(windowRows({ curve: [point(5, measured(0))] }).find((r) => r.name.startsWith('window meeting'))).toMatchObject({ value: '5 s', met: true });
  });
});
