import * as df from 'durable-functions';
import type { InvocationContext, Timer } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { crossesThreshold, downstreamFailures } from '@telemetry/breaker-rules';
import { toPipelineError } from '@telemetry/core';
import { durableBreakerControl, type BreakerControl } from '../breaker-control';
import { MONITOR_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

// Old failure buckets are pruned every PRUNE_EVERY runs (about every 5 minutes), keeping 1 hour.
const PRUNE_EVERY = 60;
const KEEP_MS = 3_600_000;

/**
 * Timer (every 5 s): reads the shared failure window and starts an episode when it crosses the
 * threshold while the breaker is closed. Failures from before the last close do not count, so an
 * approval is not undone by the failures that caused the trip. Returns what it decided (tests).
 */
export function createMonitorFailures(services: () => BreakerServices) {
  let runs = 0;
  return async (control: BreakerControl): Promise<{ tripped: boolean; total: number; status: string }> => {
    const { failures, policy, logger, clock } = services();
    const state = await control.readState();
    if (++runs % PRUNE_EVERY === 0) {
      await failures.prune(KEEP_MS).catch((error: unknown) => logger.warn('failure window prune failed', { errorCode: toPipelineError(error).code }));
    }
    if (state.status !== 'closed') return { tripped: false, total: 0, status: state.status };
    const window = await failures.windowTotal(policy.windowMs, { now: clock(), notBefore: Date.parse(state.since) });
    // Only downstream failures count: bad input is parked, it does not mean the store is failing.
    const total = downstreamFailures(window.byCode);
    if (!crossesThreshold(total, policy.threshold)) return { tripped: false, total, status: state.status };
    const reason = `${total} downstream failures in the last ${policy.windowMs / 1_000} s (threshold ${policy.threshold})`;
    const instanceId = await control.startEpisode({ trip: { reason, by: 'monitor', counts: window.byCode }, policy });
    logger.warn('failure threshold crossed: breaker episode started', { total, counts: window.byCode, instanceId });
    return { tripped: true, total, status: state.status };
  };
}

const monitor = createMonitorFailures(breakerServices);

df.app.client.timer(MONITOR_FUNCTION, {
  // Sub-minute NCRONTAB with seconds: every 5 s, well inside the 30 s default window.
  schedule: '*/5 * * * * *',
  handler: async (_timer: Timer, client: DurableClient, _context: InvocationContext) => {
    await monitor(durableBreakerControl(client));
  },
});
