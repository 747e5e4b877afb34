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

  describe('watchdog: an episode that ended while the breaker is not closed', () => {
    const openOwnedBy = (instanceId: string, then?: 'half-open') => {
      let state = applyBreakerCommand(initialBreakerState(), { op: 'trip', at: new Date(T0).toISOString(), by: 'monitor', reason: 'r', counts: { STORE_UNAVAILABLE: 150 }, instanceId }).state;
      if (then) state = applyBreakerCommand(state, { op: 'halfOpen', at: new Date(T0 + 1_000).toISOString(), by: 'cooldown', reason: 'c' }).state;
      return state;
    };

    it.each(['Failed', 'Terminated', 'Completed', null] as const)('owner %s: a new episode adopts it, with the trip it carried', async (runtimeStatus) => {
      const { services } = testServices({ ms: T0 });
      const control = new InMemoryBreakerControl(openOwnedBy('e1', 'half-open'));
      control.runtimeStatuses.set('e1', runtimeStatus);
      expect(await createMonitorFailures(() => services)(control)).toMatchObject({ tripped: false, status: 'half-open', adopted: 'episode-1' });
      expect(control.started).toEqual([{
        trip: { reason: 'r', by: 'monitor', counts: { STORE_UNAVAILABLE: 150 } }, policy: services.policy,
        adopt: { expectedInstanceId: 'e1', reason: expect.stringMatching(runtimeStatus ? new RegExp(`e1 ended \\(${runtimeStatus}\\) while the breaker was half-open`) : /e1 is gone/) },
      }]);
    });

    it('a running (or continued, pending, suspended) owner is left alone, and so is one whose status cannot be read', async () => {
      const { services } = testServices({ ms: T0 });
      const monitor = createMonitorFailures(() => services);
      for (const status of ['Running', 'ContinuedAsNew', 'Pending', 'Suspended']) {
        const control = new InMemoryBreakerControl(openOwnedBy('e1'));
        control.runtimeStatuses.set('e1', status);
        expect(await monitor(control)).not.toHaveProperty('adopted');
        expect(control.started).toEqual([]);
      }
      const unreadable = new InMemoryBreakerControl(openOwnedBy('e1'));
      unreadable.episodeRuntimeStatus = async () => {
        throw new Error('task hub unreachable');
      };
      expect(await monitor(unreadable)).not.toHaveProperty('adopted');
      expect(unreadable.started).toEqual([]);
    });
  });
});
