import type { Checkpoint, CheckpointStore, PartitionOwnership } from '@azure/event-hubs';
import { OwnershipExpiredError, OwnershipLease } from './ownership-lease';

const ownership = (partitionId: string): PartitionOwnership => ({
  fullyQualifiedNamespace: 'ns', eventHubName: 'hub', consumerGroup: 'cg', ownerId: 'me', partitionId,
});

/** A store whose claims succeed until it is taken down (unit test of the expiry logic only). */
class FlakyStore implements CheckpointStore {
  down = false;
  async listOwnership(): Promise<PartitionOwnership[]> {
    return [];
  }
  async claimOwnership(list: PartitionOwnership[]): Promise<PartitionOwnership[]> {
    if (this.down) throw new Error('store unreachable');
    return list;
  }
  async listCheckpoints(): Promise<Checkpoint[]> {
    return [];
  }
  async updateCheckpoint(): Promise<void> {
    if (this.down) throw new Error('store unreachable');
  }
}

describe('OwnershipLease (partitionOwnershipExpirationInterval, as the Event Hubs extension applies it)', () => {
  it('a partition never claimed does not expire', () => {
    const lease = new OwnershipLease(new FlakyStore(), 5_000, () => 1_000_000);
    expect(lease.expired('0')).toBe(false);
  });

  it('ownership renewed in time holds; unrenewed for the interval it expires; a new claim restores it', async () => {
    let now = 0;
    const store = new FlakyStore();
    const lease = new OwnershipLease(store, 5_000, () => now);
    await lease.claimOwnership([ownership('0'), ownership('1')]);
    now = 4_000;
    await lease.claimOwnership([ownership('0')]); // the renewal of partition 1 is not sent
    now = 5_000;
    expect([lease.expired('0'), lease.expired('1')]).toEqual([false, true]);
    store.down = true;
    await expect(lease.claimOwnership([ownership('0')])).rejects.toThrow('store unreachable');
    now = 8_999;
    expect(lease.expired('0')).toBe(false);
    now = 9_000;
    expect(lease.expired('0')).toBe(true);
    store.down = false;
    await lease.claimOwnership([ownership('0')]);
    expect(lease.expired('0')).toBe(false);
  });

  it('a released partition waits for a new claim', async () => {
    let now = 0;
    const lease = new OwnershipLease(new FlakyStore(), 5_000, () => now);
    await lease.claimOwnership([ownership('2')]);
    now = 10_000;
    lease.release('2');
    expect(lease.expired('2')).toBe(false);
  });

  it('stops a pump the way a stolen link does: non-retryable, ReceiverDisconnectedError', () => {
    const error = new OwnershipExpiredError('3', 5_000);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code: 'ReceiverDisconnectedError', retryable: false });
    expect(error.message).toContain('partition 3');
  });
});
