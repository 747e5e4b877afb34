import { toPipelineError, type Logger, type PipelineError } from '@telemetry/core';
import type { DeviceStateStore } from '@telemetry/device-store';
import { isClaimCheckBlobNameOf, type DeadLetter } from '@telemetry/contracts';
import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, patchOf } from '@telemetry/device-state';
import type { BreakerStatusSource } from './breaker-status';
import type { DeadLetterQueue } from './dead-letter-queue';
import { foreignLetter, tryDecodeLetter } from './foreign-letter';
import type { ParkedBy, ParkingStore } from './parking-store';
import { decideAfterFailure, recordedAttempts, routeLetter } from './reprocess-decision';
import type { ReprocessOutcome } from './reprocess-outcome';
import type { ReprocessPolicy } from './reprocess-policy';
import type { ReprocessorMetrics } from './reprocessor-metrics';
import { telemetryOfLetter } from './telemetry-of-letter';

export interface ReprocessorDeps {
  store: DeviceStateStore;
  queue: DeadLetterQueue;
  parking: ParkingStore;
  breaker: BreakerStatusSource;
  policy: ReprocessPolicy;
  metrics: ReprocessorMetrics;
  logger: Logger;
  clock?: () => Date;
  random?: () => number;
  /** Setting MAX_CLOCK_SKEW_SECONDS, the same rule as ingestion's (default 300). */
  maxClockSkewSeconds?: number;
  /** Setting MAX_EVENT_AGE_SECONDS, the same rule as ingestion's (default 10 years). */
  maxEventAgeSeconds?: number;
}

/**
 * One dead-letter message: park it, apply it, schedule its retry or defer it while the breaker is
 * open. Each path completes the message (the trigger deletes it); a retry or deferral is a new
 * message with a visibility delay, carrying its attempt count, so backoff is exponential and the
 * budget survives any number of host redeliveries. Throws only when the outcome itself cannot be
 * recorded (queue or parking store down): then the host's own retries, and finally the poison
 * queue (drained into the parking store by parkPoisonedDeadLetter), take over. Re-applying is
 * idempotent under the merge rule, so a duplicate delivery can never move state backwards.
 */
export async function reprocessDeadLetter(message: unknown, deps: ReprocessorDeps): Promise<ReprocessOutcome> {
  const now = deps.clock?.() ?? new Date();
  const decoded = tryDecodeLetter(message);
  if (!decoded) return finish(deps, await park(deps, foreignLetter(message, now), 'UNKNOWN', 'the queue message is not a telemetry dead letter', 0, 'reprocessor'));

  let letter: DeadLetter;
  try {
    letter = await deps.queue.resolve(decoded);
  } catch (error) {
    return finish(deps, await afterFailure(deps, decoded, decoded, toPipelineError(error, 'reprocess')));
  }

  const route = routeLetter(letter);
  if (route.action === 'park') {
    return finish(deps, await park(deps, letter, letter.issue.code, route.reason, attemptsSoFar(letter), 'reprocessor', claimCheckBlobOf(decoded)));
  }

  const breaker = await deps.breaker.current();
  if (breaker.state === 'open') {
    const delaySeconds = Math.max(1, Math.ceil((breaker.retryAfterMs ?? deps.policy.breakerDeferSeconds * 1000) / 1000));
    // Same attempt count: waiting for the breaker is not a failed attempt.
    await deps.queue.enqueue(decoded, { delaySeconds });
    return finish(deps, { action: 'deferred', deadLetterId: letter.id, code: letter.issue.code, delaySeconds });
  }

  let telemetry;
  try {
    telemetry = telemetryOfLetter(letter, {
      maxSkewSeconds: deps.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS,
      ...(deps.maxEventAgeSeconds === undefined ? {} : { maxAgeSeconds: deps.maxEventAgeSeconds }),
    }, now.getTime());
  } catch (error) {
    return finish(deps, await afterFailure(deps, decoded, letter, toPipelineError(error, 'decode')));
  }
  const [outcome] = await deps.store.apply([patchOf(telemetry)]);
  if (!outcome || outcome.status === 'failed') {
    const error = outcome?.status === 'failed' ? outcome.error : toPipelineError(new Error('the store returned no outcome'), 'reprocess');
    return finish(deps, await afterFailure(deps, decoded, letter, error));
  }
  return finish(deps, { action: 'applied', deadLetterId: letter.id, code: letter.issue.code, status: outcome.status });
}

/**
 * A message the host gave up on (`<queue>-poison`): park it with the reason, whatever its code,
 * so that nothing waits in a queue nobody watches.
 */
export async function parkPoisonedDeadLetter(message: unknown, deps: Pick<ReprocessorDeps, 'queue' | 'parking' | 'metrics' | 'logger' | 'clock'>, maxDequeueCount: number): Promise<ReprocessOutcome> {
  const decoded = tryDecodeLetter(message);
  if (!decoded) return finish(deps, await park(deps, foreignLetter(message, deps.clock?.()), 'UNKNOWN', 'poison: not a telemetry dead letter', 0, 'poison'));
  let letter = decoded;
  try {
    letter = await deps.queue.resolve(decoded);
  } catch (error) {
    deps.logger.warn('claim check unreadable; parking the summary', { deadLetterId: decoded.id, errorCode: toPipelineError(error).code });
  }
  const lastCode = letter.reprocess?.lastCode;
  const reason = `poison: the reprocessor failed on this message ${maxDequeueCount} times (last issue ${typeof lastCode === 'string' ? lastCode : letter.issue.code})`;
  return finish(deps, await park(deps, letter, letter.issue.code, reason, attemptsSoFar(letter), 'poison', claimCheckBlobOf(decoded)));
}

/** The letter's attempt count for outcomes, metrics and the parking entry: a tampered value (not a non-negative safe integer) as 0. */
function attemptsSoFar(letter: DeadLetter): number {
  const recorded = recordedAttempts(letter);
  return recorded === 'tampered' ? 0 : recorded;
}

async function afterFailure(deps: ReprocessorDeps, original: DeadLetter, letter: DeadLetter, error: PipelineError): Promise<ReprocessOutcome> {
  const decision = decideAfterFailure(letter, error, deps.policy, deps.random);
  const lastAttemptAt = (deps.clock?.() ?? new Date()).toISOString();
  const reprocess = { attempts: decision.attempts, lastCode: error.code, lastError: error.message.slice(0, 500), lastAttemptAt };
  if (decision.action === 'park') {
    // Filed under the letter's own code: what went wrong with the event, not with the last try.
    return park(deps, { ...letter, reprocess }, letter.issue.code, decision.reason, decision.attempts, 'reprocessor', claimCheckBlobOf(original));
  }
  // The original (possibly a claim-check summary) goes back, so the message stays small.
  await deps.queue.enqueue({ ...original, reprocess }, { delaySeconds: decision.delaySeconds });
  return { action: 'retry-scheduled', deadLetterId: letter.id, code: letter.issue.code, attempts: decision.attempts, delaySeconds: decision.delaySeconds, lastErrorCode: error.code };
}

/**
 * The claim-check blob a parked entry may delete on purge: only a name the sinks produce for this
 * letter (a crafted `../` name in a queue message is kept in the letter as context, never followed).
 */
function claimCheckBlobOf(letter: DeadLetter): string | undefined {
  const name = letter.claimCheck?.blobName;
  return typeof name === 'string' && isClaimCheckBlobNameOf(letter.id, name) ? name : undefined;
}

async function park(
  deps: Pick<ReprocessorDeps, 'parking' | 'clock'>,
  letter: DeadLetter,
  code: string,
  reason: string,
  attempts: number,
  by: ParkedBy,
  /** The claim-check blob of the message, kept so that purging the entry can delete it. */
  claimCheckBlob?: string,
): Promise<ReprocessOutcome> {
  const parkedAt = (deps.clock?.() ?? new Date()).toISOString();
  await deps.parking.park({ id: letter.id, code, reason, parkedAt, attempts, by, letter, ...(claimCheckBlob ? { claimCheckBlob } : {}) });
  return { action: 'parked', deadLetterId: letter.id, code, reason, attempts };
}

function finish(deps: Pick<ReprocessorDeps, 'metrics' | 'logger'>, outcome: ReprocessOutcome): ReprocessOutcome {
  deps.metrics.record(outcome);
  const { action, ...fields } = outcome;
  const log = { ...fields, errorCode: outcome.code };
  if (action === 'parked') deps.logger.warn('dead letter parked', log);
  else if (action === 'applied') deps.logger.info('dead letter reprocessed', log);
  else if (action === 'deferred') deps.logger.info('dead letter deferred: circuit breaker open', log);
  else deps.logger.info('dead letter retry scheduled', log);
  return outcome;
}
