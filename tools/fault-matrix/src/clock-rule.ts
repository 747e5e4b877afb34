import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, DEFAULT_MAX_EVENT_AGE_SECONDS } from '@telemetry/device-state';
import { withChanges, type SentEvent } from '@telemetry/simulator';

/** The product's floor for event timestamps: 2000-01-01T00:00:00Z (docs/security.md). */
const FLOOR_MS = Date.UTC(2000, 0, 1);

export interface ClockRuleOptions {
  /** The apps' MAX_CLOCK_SKEW_SECONDS (default 300). */
  maxSkewSeconds?: number;
  /** The apps' MAX_EVENT_AGE_SECONDS (default 10 years). */
  maxAgeSeconds?: number;
  /**
   * How close (s) to the threshold an event's skew may come before the model cannot tell its fate:
   * the audit knows when an event was sent, not when Event Hubs enqueued it (default 60).
   */
  marginSeconds?: number;
}

export interface ClockRuleResult {
  /** The events, those the rule refuses marked as bad input with the code EVENT_CLOCK_SKEW. */
  events: SentEvent[];
  /** How many it refuses (dead letters expected with EVENT_CLOCK_SKEW). */
  refused: number;
  /** Indexes of events within the margin of the threshold, whose fate the model cannot predict. */
  ambiguous: number[];
}

/**
 * The device-clock rule as the audit's model applies it, written apart from libs/device-state: a
 * valid event whose timestamp is before 2000, more than MAX_CLOCK_SKEW_SECONDS ahead of when it
 * was sent or more than MAX_EVENT_AGE_SECONDS behind it is refused (dead-lettered
 * EVENT_CLOCK_SKEW, then parked), not applied; a clock within both limits is applied as any other
 * event.
 */
export function applyClockRule(sent: SentEvent[], options: ClockRuleOptions = {}): ClockRuleResult {
  const limitMs = (options.maxSkewSeconds ?? DEFAULT_MAX_CLOCK_SKEW_SECONDS) * 1000;
  const maxAgeMs = (options.maxAgeSeconds ?? DEFAULT_MAX_EVENT_AGE_SECONDS) * 1000;
  const marginMs = (options.marginSeconds ?? 60) * 1000;
  let refused = 0;
  const ambiguous: number[] = [];
  const events = sent.map((e): SentEvent => {
    if (e.kind !== 'valid' || !e.telemetry || !e.sentAt) return e;
    const at = Date.parse(e.telemetry.timestamp);
    const skew = at - e.sentAt;
    if (Math.abs(skew - limitMs) < marginMs || Math.abs(-skew - maxAgeMs) < marginMs) ambiguous.push(e.index);
    if (at >= FLOOR_MS && skew <= limitMs && -skew <= maxAgeMs) return e;
    refused++;
    return withChanges(e, { kind: 'corrupt', expectedCode: 'EVENT_CLOCK_SKEW' });
  });
  return { events, refused, ambiguous };
}
