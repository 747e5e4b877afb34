import * as df from 'durable-functions';
import type { InvocationContext, Timer } from '@azure/functions';
import type { DurableClient } from 'durable-functions';
import { crossesThreshold, downstreamFailures } from '@telemetry/breaker-rules';
import { toPipelineError } from '@telemetry/core';
import { FAILURE_RETENTION_MS } from '@telemetry/failure-tracking';
import type { BreakerState } from '@telemetry/breaker-rules';
import { durableBreakerControl, ENDED_RUNTIME_STATUSES, type BreakerControl } from '../breaker-control';
import { MONITOR_FUNCTION } from '../names';
import { breakerServices, type BreakerServices } from '../services';

// Old failure buckets are pruned every PRUNE_EVERY runs (about every minute, at most 2 s each: the
// rows are one per failing writer per bucket), keeping what the recorders still write
// (FAILURE_RETENTION_MS, 1 hour: one owner for both).
const PRUNE_EVERY = 12;
const KEEP_MS = FAILURE_RETENTION_MS;

/**
 * Timer (every 5 s): reads the shared failure window and starts an episode when it crosses the
 * threshold while the breaker is closed. Failures from before the last close do not count, so an
 * approval is not undone by the failures that caused the trip. While the breaker is not closed it
 * watches the episode's orchestration instead: one that ended (failed, terminated) would leave the
 * breaker open or half-open for good, with nobody told, so a new episode adopts it (pauses
 * ingestion, notifies, offers a fresh approval). Returns what it decided (tests).
 */
export function createMonitorFailures(services: () => BreakerServices) {
  let runs = 0;
  return async (control: BreakerControl): Promise<{ tripped: boolean; total: number; status: string; adopted?: string }> => {
    const { failures, policy, logger, clock } = services();
    const state = await control.readState();
    if (++runs % PRUNE_EVERY === 0) {
      await failures.prune(KEEP_MS).catch((error: unknown) => logger.warn('failure window prune failed', { errorCode: toPipelineError(error).code }));
    }
    if (state.status !== 'closed') {
      const adopted = await adoptEndedEpisode(control, state, services());
      return { tripped: false, total: 0, status: state.status, ...(adopted ? { adopted } : {}) };
    }
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

/** Starts an episode that adopts the breaker when its owner ended; the instance started, if any. */
async function adoptEndedEpisode(control: BreakerControl, state: BreakerState, { policy, logger }: BreakerServices): Promise<string | undefined> {
  const owner = state.instanceId;
  if (!owner) return undefined;
  let runtimeStatus: string | undefined;
  try {
    runtimeStatus = await control.episodeRuntimeStatus(owner);
  } catch (error) {
    logger.warn('breaker episode status unreadable; checked again next run', { instanceId: owner, errorCode: toPipelineError(error).code });
    return undefined;
  }
  if (runtimeStatus !== undefined && !ENDED_RUNTIME_STATUSES.has(runtimeStatus)) return undefined;
  const reason = `the breaker's episode orchestration ${owner} ${runtimeStatus === undefined ? 'is gone' : `ended (${runtimeStatus})`} while the breaker was ${state.status}: ingestion is paused again until it is approved or probed`;
  const trip = state.trip ? { reason: state.trip.reason, by: state.trip.by, counts: state.trip.counts } : { reason, by: 'watchdog', counts: {} };
  const instanceId = await control.startEpisode({ trip, policy, adopt: { expectedInstanceId: owner, reason } });
  logger.error('breaker episode ended while the breaker was not closed: a new episode adopts it', { previous: owner, runtimeStatus: runtimeStatus ?? 'NotFound', status: state.status, instanceId });
  return instanceId;
}

const monitor = createMonitorFailures(breakerServices);

df.app.client.timer(MONITOR_FUNCTION, {
  // Sub-minute NCRONTAB with seconds: every 5 s, well inside the 30 s default window.
  schedule: '*/5 * * * * *',
  handler: async (_timer: Timer, client: DurableClient, _context: InvocationContext) => {
    await monitor(durableBreakerControl(client));
  },
});
