import type { BreakerReading, BreakerStatusSource } from '../breaker-status';

/** For unit tests of logic only: a breaker whose state the test sets. */
export class FakeBreakerStatus implements BreakerStatusSource {
  status: BreakerReading = { state: 'closed' };
  async current(): Promise<BreakerReading> {
    return this.status;
  }
}
