import { applyBreakerCommand, initialBreakerState } from '@telemetry/breaker-rules';
import { InMemoryBreakerControl, testServices } from '../testing';
import { createMonitorFailures } from './monitorFailures';

const T0 = Date.parse('2026-11-21T12:00:00.000Z');

describe('monitorFailures', () => {
  it('starts an episode only when more than the threshold fail in the window while closed', async () => {
    const now = { ms: T0 };
    const { services, failures } = testServices(now);
    const control = new InMemoryBreakerControl(initialBreakerState(new Date(T0 - 3_600_000).toISOString()));
    const monitor = createMonitorFailures(() => services);
    await failures.record({ STORE_UNAVAILABLE: 100 });
    expect(await monitor(control)).toMatchObject({ tripped: false, total: 100 });
    await failures.record({ STORE_TIMEOUT: 1 });
    expect(await monitor(control)).toMatchObject({ tripped: true, total: 101 });
    expect(control.started).toEqual([{
      trip: { by: 'monitor', reason: '101 downstream failures in the last 30 s (threshold 100)', counts: { STORE_UNAVAILABLE: 100, STORE_TIMEOUT: 1 } },
      policy: services.policy,
    }]);
  });

  it('does not trip on bad input alone: only downstream (retryable) failures count', async () => {
    const now = { ms: T0 };
    const { services, failures } = testServices(now);
    const control = new InMemoryBreakerControl(initialBreakerState(new Date(T0 - 3_600_000).toISOString()));
    const monitor = createMonitorFailures(() => services);
    await failures.record({ EVENT_MALFORMED: 400, EVENT_INVALID: 300, STORE_REJECTED: 50, STORE_THROTTLED: 60 });
    expect(await monitor(control)).toMatchObject({ tripped: false, total: 60 });
    await failures.record({ DEAD_LETTER_UNAVAILABLE: 41 });
    expect(await monitor(control)).toMatchObject({ tripped: true, total: 101 });
  });

  it('does nothing while open, and ignores failures from before the last close', async () => {
    const now = { ms: T0 };
    const { services, failures } = testServices(now);
    const monitor = createMonitorFailures(() => services);
    await failures.record({ STORE_UNAVAILABLE: 500 });
    const open = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: new Date(T0).toISOString(), by: 'monitor', reason: 'r', counts: {}, instanceId: 'e1' }).state;
    const control = new InMemoryBreakerControl(open);
    expect(await monitor(control)).toMatchObject({ tripped: false, status: 'open' });
    // Approved 2 s later: the 500 failures are still in the window, but before the close.
    now.ms += 2_000;
    control.state = { ...control.state, status: 'closed', since: new Date(now.ms).toISOString() };
    expect(await monitor(control)).toMatchObject({ tripped: false, total: 0 });
    expect(control.started).toEqual([]);
  });
});
