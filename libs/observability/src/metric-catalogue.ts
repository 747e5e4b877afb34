/**
 * Every metric the product emits, in one place: name, instrument kind, unit, and the attribute
 * keys it carries. Names are the contract with dashboards and alerts (infra/modules/alerts.bicep,
 * infra/modules/workbook.bicep query them by name): extend, never rename.
 */
export const METRIC_CATALOGUE = {
  'telemetry.batch.size': {
    kind: 'histogram',
    unit: '{event}',
    description: 'Events in one ingestion batch (one Event Hubs trigger invocation).',
    attributes: [],
  },
  'telemetry.events.applied': {
    kind: 'counter',
    unit: '{event}',
    description: 'Events folded into a device document.',
    attributes: [],
  },
  'telemetry.events.deadlettered': {
    kind: 'counter',
    unit: '{event}',
    description: 'Events written to the dead-letter queue, by issue code.',
    attributes: ['code'],
  },
  'telemetry.store.retries': {
    kind: 'counter',
    unit: '{attempt}',
    description: 'Device-state store calls retried after a transient failure.',
    attributes: [],
  },
  'telemetry.store.throttles': {
    kind: 'counter',
    unit: '{response}',
    description: 'Device-state store calls answered 429 (throttled).',
    attributes: [],
  },
  'breaker.state.changes': {
    kind: 'counter',
    unit: '{change}',
    description: 'Circuit breaker transitions, by the state entered.',
    attributes: ['to'],
  },
  'reprocessor.outcomes': {
    kind: 'counter',
    unit: '{message}',
    description: 'Dead letters handled by the reprocessor, by outcome and issue code.',
    attributes: ['outcome', 'code'],
  },
  // Issue 19: recorded every minute per partition by the breaker app (running while ingestion is paused).
  'eventhubs.lag': {
    kind: 'histogram',
    unit: '{event}',
    description: 'Events enqueued after the ingestion checkpoint, per partition.',
    attributes: ['partition'],
  },
  'eventhubs.oldest_unprocessed_age': {
    kind: 'histogram',
    unit: 's',
    description: 'Age of the oldest event ingestion has not processed, per partition (0 when none).',
    attributes: ['partition'],
  },
  // Issue 21: the ingestion window's real staleness, one observation per device written.
  'telemetry.window.stored_after': {
    kind: 'histogram',
    unit: 's',
    description: 'Ingestion window: seconds from the enqueue of a device\'s first held event to its write landing (about the window; more when writes lag).',
    attributes: [],
    buckets: [0.5, 1, 2, 3, 4, 5, 6, 8, 10, 15, 30, 60, 120],
  },
  'eventhubs.time_to_data_loss': {
    kind: 'histogram',
    unit: 's',
    description: 'Hub retention minus the oldest unprocessed event\'s age, per partition (only while behind); infra alerts on its minimum.',
    attributes: ['partition'],
  },
} as const satisfies Record<string, MetricDefinition>;

export interface MetricDefinition {
  kind: 'counter' | 'histogram';
  /** UCUM-style unit, as OpenTelemetry expects. */
  unit: string;
  description: string;
  attributes: readonly string[];
  /** Histogram bucket bounds, when the default ones (events per batch) do not fit its unit. */
  buckets?: readonly number[];
}

type Catalogue = typeof METRIC_CATALOGUE;
export type MetricName = keyof Catalogue;
export type CounterName = { [N in MetricName]: Catalogue[N]['kind'] extends 'counter' ? N : never }[MetricName];
export type HistogramName = { [N in MetricName]: Catalogue[N]['kind'] extends 'histogram' ? N : never }[MetricName];

/** The attributes a metric requires: exactly the keys the catalogue names, as strings. */
export type AttributesOf<N extends MetricName> = { [A in Catalogue[N]['attributes'][number]]: string };

/** Rest-argument form: metrics without attributes take none, the others require all of theirs. */
export type AttributeArgs<N extends MetricName> = Catalogue[N]['attributes'] extends readonly [] ? [] : [attributes: AttributesOf<N>];

export type MetricAttributes = Readonly<Record<string, string>>;

export const METRIC_NAMES = Object.keys(METRIC_CATALOGUE) as MetricName[];

export function isMetricName(name: string): name is MetricName {
  return Object.prototype.hasOwnProperty.call(METRIC_CATALOGUE, name);
}
