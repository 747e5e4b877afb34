import { DroneFleet, seededRandom } from '@telemetry/simulator';
import { cappedWritesPerEvent, devicesPerPartition, fleetDeviceIds, shortestSpanFor } from './window-cap';

describe('what the window count cap allows', () => {
  it('the fleet ids are the simulator drones', () => {
    const fleet = new DroneFleet({ devices: 50, keyFrameEvery: 10, random: seededRandom(1), startTime: 0 });
    const seen = new Set(Array.from({ length: 5_000 }, () => fleet.next().deviceId));
    expect([...seen].sort()).toEqual(fleetDeviceIds(50));
  });

  it('spreads every device over the partitions', () => {
    const counts = devicesPerPartition(fleetDeviceIds(1000), 32);
    expect(counts).toHaveLength(32);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1000);
  });

  it('an uncapped span of T s costs (1 - e^-T) / T writes per event; a full cap cuts the span to cap / (devices x rate)', () => {
    expect(cappedWritesPerEvent([10], 1_000, 5)).toBeCloseTo((1 - Math.exp(-5)) / 5, 6);
    // 40 devices at 1 event/s fill a 160-event batch in 4 s.
    expect(cappedWritesPerEvent([40], 160, 5)).toBeCloseTo((1 - Math.exp(-4)) / 4, 6);
    // Weighted by events: 40 devices at 4 s, 10 devices at 5 s.
    expect(cappedWritesPerEvent([40, 10], 160, 5)).toBeCloseTo((40 * ((1 - Math.exp(-4)) / 4) + 10 * ((1 - Math.exp(-5)) / 5)) / 50, 6);
  });

  it('on 32 partitions the reference fleet cannot reach 0.2 writes per event at a 5 s span with 160-event batches; 240 can', () => {
    const counts = devicesPerPartition(fleetDeviceIds(1000), 32);
    expect(Math.max(...counts)).toBeGreaterThan(160 / 5);
    expect(cappedWritesPerEvent(counts, 160, 5)).toBeGreaterThan(0.2);
    expect(cappedWritesPerEvent(counts, 240, 5)).toBeLessThanOrEqual(0.2);
  });

  it('0.2 writes per event needs a span of 4.965 s at 1 event/s per device (hand-checked: (1 - e^-4.965) / 4.965 = 0.2000), so p99 >= 4.915 s before the batch\'s own time', () => {
    const span = shortestSpanFor(0.2);
    expect(span).toBeCloseTo(4.9651, 3);
    expect((1 - Math.exp(-span)) / span).toBeCloseTo(0.2, 9);
    expect(0.99 * span).toBeCloseTo(4.9155, 3);
    // Twice the rate halves the span; a dearer target needs a shorter one.
    expect(shortestSpanFor(0.2, 2)).toBeCloseTo(span / 2, 9);
    expect(shortestSpanFor(0.5)).toBeLessThan(span);
  });

  it('refuses a cost outside (0, 1)', () => {
    expect(() => shortestSpanFor(0)).toThrow(RangeError);
    expect(() => shortestSpanFor(1)).toThrow(RangeError);
    expect(() => shortestSpanFor(Number.NaN)).toThrow(RangeError);
  });
});
