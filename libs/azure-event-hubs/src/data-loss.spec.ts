import { dataLossAlertFires, dataLossOf, defaultDataLossMarginHours, minTimeToDataLoss } from './data-loss';
import { partitionLagOf } from './partition-lag';

describe('time to data loss: the oldest unprocessed event against the retention', () => {
  const now = new Date('2026-12-01T12:00:00Z');
  const p = { partitionId: '0', isEmpty: false, beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 9, lastEnqueuedOnUtc: now };
  const day = 24 * 3600;

  it('ages the event after the checkpoint and subtracts it from the retention', () => {
    const lag = dataLossOf(partitionLagOf(p, 4), '2026-12-01T02:00:00Z', day, 0, now);
    expect(lag).toMatchObject({ lag: 5, oldestUnprocessedAgeSeconds: 10 * 3600, timeToDataLossSeconds: 14 * 3600, staleCheckpoint: false });
    // Older unprocessed event: less time left; past the retention it is negative (already lost).
    expect(dataLossOf(partitionLagOf(p, 4), '2026-11-30T10:00:00Z', day, 0, now).timeToDataLossSeconds).toBe(-2 * 3600);
  });

  it('nothing behind: no time to data loss, age 0', () => {
    expect(dataLossOf(partitionLagOf(p, 9), null, day, 0, now)).toMatchObject({ oldestUnprocessedAgeSeconds: 0, timeToDataLossSeconds: null, oldestUnprocessedTimeUtc: null });
  });

  it('flags a checkpoint past the last event (hub recreated) or before the retained range as stale', () => {
    expect(dataLossOf(partitionLagOf(p, 42), null, day, 0, now).staleCheckpoint).toBe(true);
    expect(dataLossOf(partitionLagOf({ ...p, beginningSequenceNumber: 6 }, 2), '2026-12-01T11:00:00Z', day, 6, now).staleCheckpoint).toBe(true);
    expect(dataLossOf(partitionLagOf({ ...p, beginningSequenceNumber: 6 }, 5), '2026-12-01T11:00:00Z', day, 6, now).staleCheckpoint).toBe(false);
  });

  it('the alert margin is min(half the retention, 12 h), and the alert fires below it', () => {
    expect(defaultDataLossMarginHours(24)).toBe(12);
    expect(defaultDataLossMarginHours(168)).toBe(12);
    expect(defaultDataLossMarginHours(2)).toBe(1);
    const a = dataLossOf(partitionLagOf(p, 4), '2026-12-01T02:00:00Z', day, 0, now);
    const b = dataLossOf(partitionLagOf({ ...p, partitionId: '1' }, 9), null, day, 0, now);
    expect(minTimeToDataLoss([a, b])).toBe(14 * 3600);
    expect(minTimeToDataLoss([b])).toBeNull();
    expect(dataLossAlertFires({ minTimeToDataLossSeconds: 14 * 3600 }, 12)).toBe(false);
    expect(dataLossAlertFires({ minTimeToDataLossSeconds: 11 * 3600 }, 12)).toBe(true);
    expect(dataLossAlertFires({ minTimeToDataLossSeconds: null }, 12)).toBe(false);
  });
});
