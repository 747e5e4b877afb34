import { toPipelineError, type IssueCode, type Logger, type PipelineError } from '@telemetry/core';
import type { ApplyOutcome, DeviceStateStore } from '@telemetry/device-store';
import { buildDeadLetter, type DeadLetterSink } from '@telemetry/dead-letter';
import { type DeadLetter, type SourceContext, type SourceEvent } from '@telemetry/contracts';
import {
  authenticatedDevice,
  checkDeviceClock,
  coalesce,
  decodeTelemetry,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  DEFAULT_MAX_EVENT_AGE_SECONDS,
  readIotHubIdentity,
  type DecodedTelemetry,
  type DeviceStatePatch,
  type IdentitySource,
  type IotHubIdentity,
} from '@telemetry/device-state';
import type { Metrics } from '@telemetry/observability';
import type { BatchReport } from './batch-report';
import { recordBatchMetrics } from './record-batch-metrics';
import { noFailureReporter, type FailureReporter } from './failure-reporter';

export interface IngestionDeps {
  store: DeviceStateStore;
  deadLetters: DeadLetterSink;
  failures?: FailureReporter;
  logger: Logger;
  /** Recorded in dead letters as their producer. */
  app: string;
  /** Batch size, applied, dead-lettered by code, store retries and throttles. */
  metrics?: Metrics;
  /** Setting MAX_CLOCK_SKEW_SECONDS: how far a timestamp may be ahead of its enqueued time (default 300). */
  maxClockSkewSeconds?: number;
  /** Setting MAX_EVENT_AGE_SECONDS: how far a timestamp may be behind its enqueued time (default 10 years). */
  maxEventAgeSeconds?: number;
  /** Epoch ms; only stands in for an enqueued time the trigger did not give (never in Azure). */
  clock?: () => number;
  /**
   * Setting DEVICE_IDENTITY_SOURCE (default body). `iothub`: the device is the one IoT Hub
   * authenticated (system properties); bodies naming another device are EVENT_DEVICE_SPOOFED.
   */
  identitySource?: IdentitySource;
}

export interface BatchInput {
  events: SourceEvent[];
  source: SourceContext;
  invocationId?: string;
}

/**
 * One Event Hubs batch: decode and validate each event (a bad one never fails the batch), fold
 * per device, one conditional write per device, dead-letter what could not be applied.
 * Throws only when dead letters cannot be written: then the trigger's retry policy re-runs the
 * batch before the checkpoint moves, and nothing is dropped.
 */
export async function processBatch(input: BatchInput, deps: IngestionDeps): Promise<BatchReport> {
  const { events, source, invocationId } = input;
  const { valid, letters } = screenEvents(input, deps);
  const patches = coalesce(valid.map((v) => v.decoded));
  const outcomes = await applyGuarded(deps, [...patches.values()]);
  const settled = settleOutcomes(outcomes, valid, { source, invocationId }, deps);
  letters.push(...settled.letters);
  const failures = countFailures(letters.slice(0, letters.length - settled.letters.length), settled.failedDevices);

  const report: BatchReport = {
    received: events.length,
    valid: valid.length,
    devices: patches.size,
    written: settled.written,
    unchanged: settled.unchanged,
    applied: valid.length - settled.letters.length,
    deadLettered: letters.length,
    deadLetteredByCode: lettersByCode(letters),
    firstSequenceNumber: events[0]?.sequenceNumber ?? null,
    lastSequenceNumber: events[events.length - 1]?.sequenceNumber ?? null,
  };
  const partitionId = events[0]?.partitionId;
  await deliverLetters(deps, letters, failures, { partitionId, ...report });
  deps.logger.info('batch processed', { partitionId, ...report });
  if (deps.metrics) recordBatchMetrics(deps.metrics, report, deps.store);
  return report;
}

/** An event that decoded and validated, with what it decoded to. */
export interface ScreenedEvent {
  event: SourceEvent;
  decoded: DecodedTelemetry;
  identity?: IotHubIdentity;
}

/**
 * Decodes and validates each event; a bad one becomes a dead letter (not yet written), never an
 * exception. `now` only stands in for an enqueued time the trigger did not give.
 */
export function screenEvents(input: BatchInput, deps: IngestionDeps): { valid: ScreenedEvent[]; letters: DeadLetter[] } {
  const { events, source, invocationId } = input;
  const letters: DeadLetter[] = [];
  const valid: ScreenedEvent[] = [];
  const clockLimits = { maxSkewSeconds: deps.maxClockSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS, maxAgeSeconds: deps.maxEventAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS };
  const now = deps.clock?.() ?? Date.now();
  const iotHub = deps.identitySource === 'iothub';
  for (const event of events) {
    let decoded: DecodedTelemetry | undefined;
    let identity: IotHubIdentity | undefined;
    try {
      // Event Hubs' clock, not the device's: a later processing time would only loosen the rule.
      const parsed = Date.parse(event.enqueuedTimeUtc);
      const enqueuedAt = Number.isFinite(parsed) ? parsed : now;
      if (iotHub) identity = readIotHubIdentity(event.systemProperties);
      decoded = decodeTelemetry(event.body, identity && authenticatedDevice(identity, enqueuedAt));
      checkDeviceClock(decoded, enqueuedAt, clockLimits);
      valid.push(identity ? { event, decoded, identity } : { event, decoded });
    } catch (error) {
      letters.push(buildDeadLetter({ error: toPipelineError(error, 'decode'), event, source, decoded: decoded?.telemetry ?? null, attempts: 0, app: deps.app, invocationId, identity }));
    }
  }
  return { valid, letters };
}

export interface SettledOutcomes {
  written: number;
  unchanged: number;
  failedDevices: Map<string, { error: PipelineError; attempts: number }>;
  /** One letter per event of a device whose write failed. */
  letters: DeadLetter[];
}

/** Counts the store's outcomes and turns each event of a failed device into a dead letter. */
export function settleOutcomes(
  outcomes: ApplyOutcome[],
  events: Iterable<ScreenedEvent>,
  context: { source: SourceContext; invocationId?: string },
  deps: Pick<IngestionDeps, 'app'>,
): SettledOutcomes {
  let written = 0;
  let unchanged = 0;
  const failedDevices = new Map<string, { error: PipelineError; attempts: number }>();
  for (const outcome of outcomes) {
    if (outcome.status === 'failed') failedDevices.set(outcome.deviceId, outcome);
    else if (outcome.status === 'written') written++;
    else unchanged++;
  }
  const letters: DeadLetter[] = [];
  if (failedDevices.size > 0) {
    for (const { event, decoded, identity } of events) {
      const failure = failedDevices.get(decoded.telemetry.deviceId);
      if (!failure) continue;
      letters.push(
        buildDeadLetter({ error: failure.error, event, source: context.source, decoded: decoded.telemetry, attempts: failure.attempts, app: deps.app, invocationId: context.invocationId, identity }),
      );
    }
  }
  return { written, unchanged, failedDevices, letters };
}

/**
 * What the breaker counts: one failure per failed operation, not per event it carried. An event
 * that does not decode is its own operation; a device's store write is one, however many events
 * it folded (one poison device must not count as a fleet-wide outage).
 */
export function countFailures(screenedOut: DeadLetter[], failedDevices: SettledOutcomes['failedDevices']): Partial<Record<IssueCode, number>> {
  const failures: Partial<Record<IssueCode, number>> = {};
  const countFailure = (code: IssueCode) => void (failures[code] = (failures[code] ?? 0) + 1);
  for (const letter of screenedOut) countFailure(letter.issue.code);
  for (const { error } of failedDevices.values()) countFailure(error.code);
  return failures;
}

export function lettersByCode(letters: DeadLetter[]): Partial<Record<IssueCode, number>> {
  const byCode: Partial<Record<IssueCode, number>> = {};
  for (const letter of letters) byCode[letter.issue.code] = (byCode[letter.issue.code] ?? 0) + 1;
  return byCode;
}

/**
 * Writes the dead letters and reports the failures. Throws when the letters cannot be written
 * (after recording that failure too): the caller must not acknowledge their events.
 */
export async function deliverLetters(
  deps: IngestionDeps,
  letters: DeadLetter[],
  failures: Partial<Record<IssueCode, number>>,
  context: Record<string, unknown>,
): Promise<void> {
  if (letters.length === 0) return;
  try {
    await deps.deadLetters.send(letters);
  } catch (error) {
    const failure = toPipelineError(error, 'dead-letter');
    deps.logger.error('dead letters could not be written; failing the batch so it is retried', {
      ...context, errorCode: failure.code, error: failure.message,
    });
    // One failed dead-letter write, on top of the operations whose letters it carried.
    await recordFailures(deps, { ...failures, DEAD_LETTER_UNAVAILABLE: (failures.DEAD_LETTER_UNAVAILABLE ?? 0) + 1 });
    throw failure;
  }
  for (const letter of letters) {
    deps.logger.warn('event dead-lettered', {
      partitionId: letter.partitionId, sequenceNumber: letter.sequenceNumber, deviceId: letter.deviceId,
      errorCode: letter.issue.code, retryable: letter.issue.retryable, deadLetterId: letter.id,
    });
  }
  await recordFailures(deps, failures);
}

/** Devices applied at once when a batch is applied device by device. */
const ISOLATED_APPLY_CONCURRENCY = 8;

/**
 * The store's port reports each device's outcome and never throws for the batch. An adapter that
 * throws anyway (a bug, or a document no code path expected) must not freeze the partition: the
 * trigger retries a failed batch forever, the checkpoint would never move, and one device would
 * hold every other device of its partition hostage. So the batch is applied again device by
 * device (the merge is idempotent: what the first call already wrote is harmless), and a device
 * whose own apply throws gets a failed outcome. Its events are dead-lettered with the error's
 * code (UNKNOWN when unclassified: retryable, so the reprocessor retries it, bounded, then parks
 * it), the failure feeds the breaker, and the rest of the batch lands.
 */
export async function applyGuarded(deps: IngestionDeps, patches: DeviceStatePatch[]): Promise<ApplyOutcome[]> {
  try {
    return await deps.store.apply(patches);
  } catch (error) {
    const failure = toPipelineError(error, 'store');
    deps.logger.error('the store threw for the whole batch; applying it device by device', { devices: patches.length, errorCode: failure.code, error: failure.message });
  }
  const outcomes: ApplyOutcome[] = [];
  for (let i = 0; i < patches.length; i += ISOLATED_APPLY_CONCURRENCY) {
    const chunk = patches.slice(i, i + ISOLATED_APPLY_CONCURRENCY);
    const results = await Promise.all(
      chunk.map(async (patch): Promise<ApplyOutcome[]> => {
        try {
          return await deps.store.apply([patch]);
        } catch (error) {
          return [{ deviceId: patch.deviceId, status: 'failed', error: toPipelineError(error, 'store'), attempts: 1 }];
        }
      }),
    );
    for (const r of results) outcomes.push(...r);
  }
  return outcomes;
}

/** Reports failures to the breaker, best effort: a reporting failure never fails a batch. */
export async function recordFailures(deps: IngestionDeps, counts: Partial<Record<IssueCode, number>>): Promise<void> {
  try {
    await (deps.failures ?? noFailureReporter).record(counts);
  } catch (error) {
    deps.logger.warn('failure tracking unavailable', { errorCode: toPipelineError(error).code });
  }
}
