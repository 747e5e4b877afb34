import type { ReferenceProfileResult } from './end-to-end';
import { ruPerEventOf, windowRows } from './window-rows';

const point = (windowSeconds: number, storeWritesPerEvent: number, latencyP99Ms: number): ReferenceProfileResult => ({
  windowSeconds, partitions: 32, devices: 1000, rate: 1000, seconds: 30, events: 30_000,
  latencyP50Ms: latencyP99Ms / 2, latencyP99Ms, storeReadsPerEvent: 0, storeWritesPerEvent, hostPeakRssMb: 200, reconciled: true, eventsPerInvocation: 150, deadLettersByCode: {},
});

describe('window curve and RU rows', () => {
  it('prices operations at the documented charges of the 678-byte device document: 1 RU a read, 5 RU a write', () => {
    expect(ruPerEventOf(1, 1)).toBe(6);
    expect(ruPerEventOf(0, 0.2)).toBeCloseTo(1);
  });

  it('names the window that meets <= 0.2 writes/event with p99 <= 5 s, and compares RU with the measured reference pattern', () => {
    const rows = windowRows({
      curve: [point(0, 0.95, 200), point(5, 0.2, 4_900), point(10, 0.1, 10_100)],
      pattern: { devices: 1000, seconds: 10, events: 10_000, storeReadsPerEvent: 1, storeWritesPerEvent: 1, latencyP50Ms: 10, latencyP99Ms: 50 },
    });
    const row = (name: string) => rows.find((r) => r.name === name);
    expect(row('window meeting <= 0.2 writes/event with p99 <= 5 s (reference profile)')).toMatchObject({ value: '5 s', met: true });
    expect(row('RU per event: reference pattern (measured)')?.value).toBe(6);
    expect(row('RU per event: product (window 5 s, 32 partitions)')?.value).toBe(1);
    expect(row('RU per event: product (window 5 s, 32 partitions) / reference pattern')?.value).toBe(0.17);
    expect(row('window 10 s (32 partitions): latency p50 / p99 (enqueue -> stored)')?.value).toBe('5050 / 10100');
  });

  it('shows the events per invocation of each point', () => {
    const rows = windowRows({ curve: [point(5, 0.215, 6_100)] });
    expect(rows.find((r) => r.name === 'window 5 s (32 partitions): store writes per event')?.note).toContain('150 events/invocation');
  });

  it('a point whose events were dead-lettered (store timeouts on a loaded machine) says so and does not count as meeting the target', () => {
    const rows = windowRows({ curve: [{ ...point(5, 0.19, 4_800), deadLettersByCode: { STORE_UNAVAILABLE: 1687 } }] });
    expect(rows.find((r) => r.name === 'window 5 s (32 partitions): store writes per event')?.note).toContain('dead-lettered: STORE_UNAVAILABLE 1687');
    expect(rows.find((r) => r.name.startsWith('window meeting'))).toMatchObject({ value: 'none', met: false });
  });

  it('says none when no window meets both', () => {
    const rows = windowRows({ curve: [point(4, 0.25, 4_500), point(5, 0.21, 5_200)] });
    expect(rows.find((r) => r.name.startsWith('window meeting'))).toMatchObject({ value: 'none', met: false });
  });

  it('puts what the write-behind model predicts beside the measured points, with this run\'s window-0 delivery time', () => {
    const rows = windowRows({ curve: [point(0, 0.95, 200), point(4.5, 0.19, 4_700), point(10, 0.1, 10_100)] });
    const row = rows.find((r) => r.name.startsWith('window: writes/event the write-behind model predicts'));
    // delivery = window-0 p50 = 100 ms: 1 / (1 + 1 x 4.4) = 0.185; 1 / (1 + 1 x 9.9) = 0.092
    expect(row).toMatchObject({ value: '4.5 s: 0.185, 10 s: 0.092' });
    expect(row?.note).toContain('(100 ms)');
    expect(windowRows({ curve: [point(0, 0.95, 200)] }).some((r) => r.name.includes('model predicts'))).toBe(false);
  });
});
