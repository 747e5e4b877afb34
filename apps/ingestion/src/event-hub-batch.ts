import type { InvocationContext } from '@azure/functions';
import type { SourceContext, SourceEvent } from '@telemetry/contracts';

type Meta = Record<string, unknown>;
const arrayOf = (meta: Meta, key: string): unknown[] => (Array.isArray(meta[key]) ? (meta[key] as unknown[]) : []);
const str = (v: unknown): string => (v instanceof Date ? v.toISOString() : v === undefined || v === null ? '' : String(v));

/**
 * Turns an Event Hubs trigger invocation (cardinality many) into source events, using the
 * metadata arrays the host passes alongside the bodies.
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
  const events = messages.map((body, i): SourceEvent => ({
    body,
    partitionId,
    sequenceNumber: Number(sequenceNumbers[i] ?? -1),
    offset: str(offsets[i]),
    enqueuedTimeUtc: str(enqueued[i]),
    partitionKey: keys[i] === undefined || keys[i] === null ? null : str(keys[i]),
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
