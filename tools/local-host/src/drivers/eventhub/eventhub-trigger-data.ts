import { randomUUID } from 'node:crypto';
import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import type { RpcTypedData } from '../../core/core-types';
import { LocalHostError } from '../../errors';

export type Cardinality = 'one' | 'many';

/** An event's body as the raw bytes the service holds (the client is told not to JSON-parse). */
export function rawBody(event: ReceivedEventData): Buffer {
  const body: unknown = event.body;
  if (Buffer.isBuffer(body)) return body;
  if (body instanceof Uint8Array) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  // AMQP value/sequence bodies: the host's EventData.Body would be their encoding; JSON is the closest.
  return Buffer.from(JSON.stringify(body ?? null), 'utf8');
}

/**
 * The trigger input as the Functions host sends it to the Node worker:
 * - `dataType: 'binary'`: bytes (many: collectionBytes) -> the library gives Buffer / Buffer[];
 * - `dataType: 'string'`: UTF-8 text (many: collectionString) -> the library JSON-parses each if it can;
 * - no dataType, many: the host binds object[] through Json.NET, so every body must be JSON or the
 *   invocation fails with a binding error (Azure/azure-functions-nodejs-library#187); sent as json;
 * - no dataType, one: UTF-8 text -> JSON-parsed by the library if it can.
 */
export function eventHubInput(bodies: Buffer[], cardinality: Cardinality, dataType: unknown): RpcTypedData {
  if (cardinality === 'one') {
    const body = bodies[0] ?? Buffer.alloc(0);
    return dataType === 'binary' ? { bytes: body } : { string: body.toString('utf8') };
  }
  if (dataType === 'binary') return { collectionBytes: { bytes: bodies } };
  const texts = bodies.map((b) => b.toString('utf8'));
  if (dataType === 'string') return { collectionString: { string: texts } };
  const parsed = texts.map((text, index) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new LocalHostError(
        'BINDING_FAILED',
        `Exception binding parameter: event ${index} of the batch is not valid JSON; bind as 'string' or 'binary' (dataType) to get raw values`,
        'bind',
      );
    }
  });
  return { json: JSON.stringify(parsed) };
}

/**
 * The AMQP properties section as the extension's EventData.SystemProperties names it
 * (Azure.Messaging.EventHubs AmqpSystemProperties: the Microsoft.Azure.Amqp `Properties.*Name`
 * constants), keyed by the JS SDK's names for the same fields.
 */
const PROPERTY_SECTION_NAMES: Record<string, string> = {
  messageId: 'message-id', userId: 'user-id', to: 'to', subject: 'subject', replyTo: 'reply-to', correlationId: 'correlation-id',
  contentType: 'content-type', contentEncoding: 'content-encoding', absoluteExpiryTime: 'absolute-expiry-time', creationTime: 'creation-time',
  groupId: 'group-id', groupSequence: 'group-sequence', replyToGroupId: 'reply-to-group-id',
};

/**
 * A value as Json.NET writes the .NET value the extension holds: an AMQP timestamp is a DateTime,
 * written as an ISO 8601 string (the JS SDK would give epoch milliseconds); binary is base64.
 */
function hostValue(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value;
}

/** The broker-owned part of an event: message annotations by name (iothub-* included) and the properties section. */
function brokerProperties(event: ReceivedEventData): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const raw = event.getRawAmqpMessage?.();
  if (!raw) return { ...(event.systemProperties ?? {}) };
  for (const [key, value] of Object.entries(raw.properties ?? {})) {
    const name = PROPERTY_SECTION_NAMES[key];
    if (name !== undefined && value !== undefined && value !== null) out[name] = hostValue(value);
  }
  for (const [key, value] of Object.entries(raw.messageAnnotations ?? {})) out[key] = hostValue(value);
  return out;
}

function systemProperties(event: ReceivedEventData): Record<string, unknown> {
  return {
    ...brokerProperties(event),
    'x-opt-sequence-number': event.sequenceNumber,
    'x-opt-offset': event.offset,
    'x-opt-enqueued-time': event.enqueuedTimeUtc.toISOString(),
    'x-opt-partition-key': event.partitionKey,
    SequenceNumber: event.sequenceNumber,
    Offset: event.offset,
    PartitionKey: event.partitionKey,
    EnqueuedTimeUtc: event.enqueuedTimeUtc.toISOString(),
  };
}

const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

/**
 * Trigger metadata with the host's names (PascalCase; the library camel-cases keys, also inside
 * values). Cardinality many uses the `...Array` names, one the singular names.
 */
export function eventHubTriggerMetadata(events: ReceivedEventData[], context: PartitionContext, cardinality: Cardinality, functionName: string): Record<string, RpcTypedData> {
  const partitionContext = json({
    EventHubName: context.eventHubName,
    ConsumerGroup: context.consumerGroup,
    FullyQualifiedNamespace: context.fullyQualifiedNamespace,
    PartitionId: context.partitionId,
  });
  const sys = json({ MethodName: functionName, UtcNow: new Date().toISOString(), RandGuid: randomUUID() });
  if (cardinality === 'one') {
    const e = events[0]!;
    return {
      PartitionContext: partitionContext,
      PartitionKey: json(e.partitionKey),
      Offset: json(e.offset),
      SequenceNumber: json(e.sequenceNumber),
      EnqueuedTimeUtc: json(e.enqueuedTimeUtc.toISOString()),
      Properties: json(e.properties ?? {}),
      SystemProperties: json(systemProperties(e)),
      sys,
    };
  }
  return {
    PartitionContext: partitionContext,
    PartitionKeyArray: json(events.map((e) => e.partitionKey)),
    OffsetArray: json(events.map((e) => e.offset)),
    SequenceNumberArray: json(events.map((e) => e.sequenceNumber)),
    EnqueuedTimeUtcArray: json(events.map((e) => e.enqueuedTimeUtc.toISOString())),
    PropertiesArray: json(events.map((e) => e.properties ?? {})),
    SystemPropertiesArray: json(events.map(systemProperties)),
    sys,
  };
}
