import { PipelineError } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import type { DecodedTelemetry } from './decode-telemetry';

/**
 * Default of the setting MAX_CLOCK_SKEW_SECONDS: how far (seconds) an event's timestamp may be
 * ahead of the time Event Hubs enqueued it. It is also the longest an event from a fast clock
 * can hold a field against honest later events, so it is kept small: 5 minutes absorbs RTC
 * drift between syncs and the device's own queueing, not a clock set years ahead.
 */
export const DEFAULT_MAX_CLOCK_SKEW_SECONDS = 300;
/** Largest accepted MAX_CLOCK_SKEW_SECONDS (1 day): beyond that the rule stops protecting. */
export const MAX_CLOCK_SKEW_LIMIT_SECONDS = 86_400;

/**
 * The app setting MAX_CLOCK_SKEW_SECONDS, one definition for every app that applies telemetry
 * (ingestion, the reprocessor): whole seconds, 0 .. 86,400, default 300. Parsed once at start.
 */
export const maxClockSkewSecondsSetting = z._default(
  z.coerce.number().check(z.int(), z.minimum(0), z.maximum(MAX_CLOCK_SKEW_LIMIT_SECONDS)),
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
);

/**
 * Default of the setting MAX_EVENT_AGE_SECONDS: how far (seconds) an event's timestamp may be
 * behind the time Event Hubs enqueued it, 10 years (3,650 days). A clock reset to a
 * plausible-looking past, such as an RTC's default of 2000-01-01, stamps the device's real,
 * current readings decades back: they would lose every merge to the stored state, and the device
 * would look healthy but frozen. The default refuses those and nothing a real fleet or a replayed
 * archive sends; fleets that never buffer long tighten it (docs/security.md suggests 30 days).
 */
export const DEFAULT_MAX_EVENT_AGE_SECONDS = 315_360_000;
/** Smallest accepted MAX_EVENT_AGE_SECONDS (1 hour): below that ordinary network delays would be refused. */
export const MIN_EVENT_AGE_LIMIT_SECONDS = 3_600;
/** Largest accepted MAX_EVENT_AGE_SECONDS (100 years): the 2000 floor holds whatever it is. */
export const MAX_EVENT_AGE_LIMIT_SECONDS = 3_153_600_000;

/**
 * The app setting MAX_EVENT_AGE_SECONDS, one definition for every app that applies telemetry:
 * whole seconds, 3,600 .. 3,153,600,000, default 315,360,000 (10 years). Parsed once at start.
 */
export const maxEventAgeSecondsSetting = z._default(
  z.coerce.number().check(z.int(), z.minimum(MIN_EVENT_AGE_LIMIT_SECONDS), z.maximum(MAX_EVENT_AGE_LIMIT_SECONDS)),
  DEFAULT_MAX_EVENT_AGE_SECONDS,
);

/** Both limits of the device-clock rule, in seconds (the settings MAX_CLOCK_SKEW_SECONDS and MAX_EVENT_AGE_SECONDS). */
export interface DeviceClockLimits {
  maxSkewSeconds: number;
  maxAgeSeconds?: number;
}

/**
 * Earliest accepted timestamp, 2000-01-01T00:00:00Z (epoch ms). Older events could never freeze
 * a field (they lose every merge), but a clock reset to 1970 or a GPS week rollover (1999) would
 * otherwise make a device's real readings lose silently to its stale state; refused, they are
 * counted and visible. It also keeps every stored time a 4-digit-year ISO string (the schema's
 * year 0000 with a positive offset is year -1, which `toISOString` writes as `-000001-...`).
 */
export const EARLIEST_EVENT_TIME = Date.UTC(2000, 0, 1);

const iso = (ms: number): string => new Date(ms).toISOString();

/**
 * The device-clock rule: an event is applied only when its timestamp is at or after 2000, at
 * most `maxSkewSeconds` ahead of `enqueuedAt` (epoch ms: when Event Hubs accepted it, never when
 * it is processed or reprocessed) and at most `maxAgeSeconds` (default 10 years) behind it.
 * Otherwise throws PipelineError EVENT_CLOCK_SKEW (permanent) with the timestamp, the enqueued
 * time, the skew or age and the limit. The rule looks at one event only, so filtering by it
 * commutes with the merge: order, duplicates and batches still do not matter (merge.spec.ts).
 * `limits` may be the skew limit alone (seconds), for callers that keep the default age.
 */
export function checkDeviceClock(event: DecodedTelemetry, enqueuedAt: number, limits: number | DeviceClockLimits): void {
  const { maxSkewSeconds, maxAgeSeconds = DEFAULT_MAX_EVENT_AGE_SECONDS } = typeof limits === 'number' ? { maxSkewSeconds: limits } : limits;
  const { timestamp } = event.telemetry;
  if (event.time < EARLIEST_EVENT_TIME) {
    throw new PipelineError('EVENT_CLOCK_SKEW', `timestamp ${timestamp} is before ${iso(EARLIEST_EVENT_TIME)}, the earliest accepted: the device clock is not set`);
  }
  if (!Number.isFinite(enqueuedAt)) {
    throw new PipelineError('EVENT_CLOCK_SKEW', `timestamp ${timestamp} cannot be checked: the event has no enqueued time`);
  }
  const skewMs = event.time - enqueuedAt;
  if (skewMs > maxSkewSeconds * 1000) {
    throw new PipelineError(
      'EVENT_CLOCK_SKEW',
      `timestamp ${timestamp} is ${skewMs / 1000} s ahead of the enqueued time ${iso(enqueuedAt)}; the limit is ${maxSkewSeconds} s (MAX_CLOCK_SKEW_SECONDS)`,
    );
  }
  if (-skewMs > maxAgeSeconds * 1000) {
    throw new PipelineError(
      'EVENT_CLOCK_SKEW',
      `timestamp ${timestamp} is ${-skewMs / 1000} s behind the enqueued time ${iso(enqueuedAt)}; the limit is ${maxAgeSeconds} s (MAX_EVENT_AGE_SECONDS): ` +
        'the device clock is behind, or the event was held longer than the limit allows',
    );
  }
}
