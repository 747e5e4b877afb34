import { partitionLagOf } from './partition-lag';

describe('partitionLagOf: the one rule for lag', () => {
  const at = new Date('2026-12-01T00:00:00Z');
  const partition = { partitionId: '0', isEmpty: false, beginningSequenceNumber: 0, lastEnqueuedSequenceNumber: 9, lastEnqueuedOnUtc: at };

  it('counts the events after the checkpoint', () => {
    expect(partitionLagOf(partition, 4)).toEqual({
      partitionId: '0', lastEnqueuedSequenceNumber: 9, lastEnqueuedTimeUtc: at.toISOString(), checkpointSequenceNumber: 4, lag: 5,
    });
    expect(partitionLagOf(partition, 9).lag).toBe(0);
  });

  it('without a checkpoint, counts the whole retained partition (ingestion starts fromStart)', () => {
    expect(partitionLagOf(partition, null).lag).toBe(10);
    expect(partitionLagOf({ ...partition, beginningSequenceNumber: 4 }, null).lag).toBe(6);
  });

  it('an empty partition has no lag and no last event', () => {
    expect(partitionLagOf({ ...partition, isEmpty: true }, null)).toMatchObject({ lastEnqueuedSequenceNumber: -1, lastEnqueuedTimeUtc: null, lag: 0 });
  });
});
