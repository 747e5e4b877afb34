import type { InvocationContext } from '@azure/functions';
import type { SourceContext, SourceEvent } from '@telemetry/contracts';

type Meta = Record<string, unknown>;
const arrayOf = (meta: Meta, key: string): unknown[] => (Array.isArray(meta[key]) ? (meta[key] as unknown[]) : []);
const str = (v: unknown): string => (v instanceof Date ? v.toISOString() : v === undefined || v === null ? '' : String(v));
const isRecord = (v: unknown): v is Meta => typeof v === 'object' && v !== null && !Array.isArray(v);
const ZONED = /(?:[Zz]|[+-]\d{2}:?\d{2})$/;

/**
 * An enqueued time as ISO 8601 UTC. Azure's host writes the extension's `EnqueuedTime.DateTime`
 * through Json.NET: a DateTime of unspecified kind, so no zone (`2026-12-02T02:38:35.05`), which
 * `Date.parse` would read as local time. It is UTC (the binding names it EnqueuedTimeUtc). A value
 * that does not parse is passed on as it came (the pipeline then stands in the processing time).
 */
export function utcInstant(v: unknown): string {
  if (v instanceof Date) return Number.isFinite(v.getTime()) ? v.toISOString() : '';
  const text = str(v).trim();
  if (text === '') return '';
  const ms = Date.parse(ZONED.test(text) || !/^\d{4}-\d{2}-\d{2}T/.test(text) ? text : `${text}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : text;
}

/**
 * The partition key of event `i`. Azure's host sends PartitionKeyArray as a string collection and
 * drops its null entries (the Node worker does not declare IncludeEmptyEntriesInMessagePayload),
 * so with some keyless events the array no longer lines up with the batch; the library then
 * JSON-parses each entry (`"42"` arrives as 42). Each event's SystemProperties carries its own
 * PartitionKey (null kept), so that is read first; the array only when it has one entry per event.
 */
function partitionKeyOf(system: unknown, keys: unknown[], i: number, n: number): string | null {
  if (isRecord(system)) {
    if ('partitionKey' in system) return system['partitionKey'] === null || system['partitionKey'] === undefined ? null : str(system['partitionKey']);
    if ('x-opt-partition-key' in system) return system['x-opt-partition-key'] === null || system['x-opt-partition-key'] === undefined ? null : str(system['x-opt-partition-key']);
  }
  if (keys.length !== n) return null;
  return keys[i] === undefined || keys[i] === null ? null : str(keys[i]);
}

/**
 * Turns an Event Hubs trigger invocation (cardinality many) into source events, using the
 * metadata arrays the host passes alongside the bodies, in the shapes Azure's host and the
 * @azure/functions library give them (offsets as numbers, zone-less enqueued times, a partition
 * key array without its nulls).
 */
export function toSourceEvents(messages: unknown[], context: InvocationContext): { events: SourceEvent[]; source: SourceContext } {
  const meta = (context.triggerMetadata ?? {}) as Meta;
  const partition = (meta['partitionContext'] ?? {}) as Meta;
  const sequenceNumbers = arrayOf(meta, 'sequenceNumberArray');
  const offsets = arrayOf(meta, 'offsetArray');
  const enqueued = arrayOf(meta, 'enqueuedTimeUtcArray');
  const keys = arrayOf(meta, 'partitionKeyArray');
  const properties = arrayOf(meta, 'propertiesArray');
  // The broker's annotations by name (IoT Hub's iothub-* among them): read in IoT Hub identity mode.
  const systemProperties = arrayOf(meta, 'systemPropertiesArray');
  const partitionId = str(partition['partitionId']);
  const n = messages.length;
  const events = messages.map((body, i): SourceEvent => ({
    body,
    partitionId,
    sequenceNumber: Number(sequenceNumbers[i] ?? -1),
    // Azure's library JSON-parses the host's string offsets into numbers; the contract keeps strings.
    offset: str(offsets[i]),
    enqueuedTimeUtc: utcInstant(enqueued[i]),
    partitionKey: partitionKeyOf(systemProperties[i], keys, i, n),
    properties: (properties[i] ?? {}) as Record<string, unknown>,
    systemProperties: (systemProperties[i] ?? {}) as Record<string, unknown>,
  }));
  return {
    events,
    source: {
      eventHubName: partition['eventHubName'] as string | undefined,
      consumerGroup: partition['consumerGroup'] as string | undefined,
      fullyQualifiedNamespace: partition['fullyQualifiedNamespace'] as string | undefined,
    },
  };
}
