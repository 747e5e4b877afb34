import type { BreakerStatus, BreakerStatusSource } from '../breaker-status';

/** For unit tests of logic only: a breaker whose state the test sets. */
export class FakeBreakerStatus implements BreakerStatusSource {
  status: BreakerStatus = { state: 'closed' };
  async current(): Promise<BreakerStatus> {
    return this.status;
  }
}
