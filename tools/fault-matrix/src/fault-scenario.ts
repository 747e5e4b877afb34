import type { SentEvent } from '@telemetry/simulator';
import type { AuditReport } from './audit';
import type { DeliveryTracker } from './delivery-tracker';
import type { MatrixStack, RestartableAccount } from './matrix-stack';
import type { ScenarioResult } from './run-matrix';

export interface ScenarioContext {
  matrix: MatrixStack;
  /** Events to send (at least; hostile and duplicate events come on top). */
  size: number;
  /** How long an outage lasts (ms): 30 s at full size. */
  outageMs: number;
  /** How long the load lasts around a fault (s): 30 at full size, less in CI. */
  loadSeconds: number;
  seed: number;
  /** Where this scenario's record of sent events goes (NDJSON, for `npm run audit`). */
  recordFile: string;
  deliveries: DeliveryTracker;
  /** The soak's length and rate; trends (RSS slope, p99) are asserted only when `assertTrends` (full size). */
  soak: SoakSize;
  /** The ingestion window the stack runs with (s; 0 = none): expectations that hold only without one read it. */
  windowSeconds: number;
  log(message: string): void;
}

export interface SoakSize {
  seconds: number;
  eventsPerSecond: number;
  assertTrends: boolean;
}

/** Full size (issue 20): 30 minutes at 1,000 events/s, trends asserted. */
export const FULL_SOAK: SoakSize = { seconds: 1_800, eventsPerSecond: 1_000, assertTrends: true };

export interface ScenarioOutcome {
  sent: SentEvent[];
  /** Facts measured during the run (e.g. seconds paused), reported as they are. */
  facts?: Record<string, unknown>;
  /** The scenario's own expectations on the audit: each returned string is a failure. */
  expectations?: (audit: AuditReport, facts: Record<string, unknown>, result: ScenarioResult) => string[];
  /** Checks on the stores after the drain: each returned string is a failure. */
  verify?: () => Promise<string[]>;
}

/** One row of the matrix: a fault injected under load, then everything accounted for. */
export interface FaultScenario {
  id: string;
  title: string;
  /** Needs the circuit breaker app in the stack. */
  breaker?: boolean;
  /**
   * The stack's storage accounts this scenario stops and starts again, expecting their data back:
   * they keep it on disk; a stack's other accounts run in memory (see MatrixStackOptions.restarts).
   */
  restarts?: RestartableAccount[];
  /** Runs on a fresh stack of its own (the soak: its memory and latency trends are about itself alone). */
  ownStack?: boolean;
  run(ctx: ScenarioContext): Promise<ScenarioOutcome>;
}
