import type { AttributeArgs, CounterName, HistogramName } from './metric-catalogue';

/**
 * The metrics port. Adapters: InMemoryMetrics (tests and the local `npm start` summary) and
 * OpenTelemetryMetrics (Azure Monitor). Recording is best effort: an adapter never throws into
 * the caller; a value it cannot record (negative count, NaN, unknown attribute) is dropped and
 * counted as dropped.
 */
export interface Metrics {
  /** Adds a non-negative amount to a counter. */
  count<N extends CounterName>(name: N, value: number, ...attributes: AttributeArgs<N>): void;
  /** Records one observation of a histogram. */
  record<N extends HistogramName>(name: N, value: number, ...attributes: AttributeArgs<N>): void;
}

/** A Metrics that records nothing (default for code paths without telemetry). */
export const noopMetrics: Metrics = { count: () => undefined, record: () => undefined };
