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

const TIMESTAMP_PROPERTIES = new Set(['absoluteExpiryTime', 'creationTime']);

/**
 * A value as Json.NET writes the .NET value the extension holds: an AMQP timestamp is a DateTime,
 * written as an ISO 8601 string (the JS SDK would give epoch milliseconds); binary is base64.
 */
function hostValue(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (value instanceof Date) return value.toISOString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  return value;
}

/**
 * An event's application properties as the extension's EventData.Properties holds them, written by
 * Json.NET: from the raw AMQP section, where binary values are bytes (base64 in JSON) and
 * timestamps Dates (ISO strings). The JS SDK's `properties` would turn bytes into `{"0":104,...}`
 * and timestamps into epoch milliseconds.
 */
function applicationProperties(event: ReceivedEventData): Record<string, unknown> {
  const raw = event.getRawAmqpMessage?.().applicationProperties as Record<string, unknown> | undefined;
  if (!raw) return event.properties ?? {};
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(raw)) out[key] = hostValue(raw[key]);
  return out;
}

const REPLACED_ANNOTATIONS = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time', 'x-opt-partition-key']);

/**
 * An event's SystemProperties: the broker-owned part (message annotations by name, iothub-*
 * included, and the properties section), then the host's copies of the event's own fields (which
 * replace the annotations of the same names in place). Built into one object, in the key order
 * the extension's dictionary has; this runs for every event of every batch.
 */
function systemProperties(event: ReceivedEventData, enqueuedTimeUtc: string, enqueuedIso: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const raw = event.getRawAmqpMessage?.();
  if (raw) {
    const properties = raw.properties as Record<string, unknown> | undefined;
    if (properties) {
      for (const key of Object.keys(properties)) {
        const name = PROPERTY_SECTION_NAMES[key];
        const value = properties[key];
        if (name === undefined || value === undefined || value === null) continue;
        // The two AMQP timestamps of the section: the JS SDK hands them over as epoch milliseconds,
        // the extension holds DateTimeOffsets (Azure.Core.Amqp AmqpMessageProperties): ISO strings.
        out[name] = typeof value === 'number' && TIMESTAMP_PROPERTIES.has(key) ? new Date(value).toISOString() : hostValue(value);
      }
    }
    const annotations = raw.messageAnnotations;
    if (annotations) {
      // The host's copies below replace these four in place: their key takes its position, their value is not converted.
      for (const key of Object.keys(annotations)) out[key] = REPLACED_ANNOTATIONS.has(key) ? undefined : hostValue(annotations[key]);
    }
  } else if (event.systemProperties) {
    for (const key of Object.keys(event.systemProperties)) out[key] = event.systemProperties[key];
  }
  out['x-opt-sequence-number'] = event.sequenceNumber;
  out['x-opt-offset'] = event.offset;
  out['x-opt-enqueued-time'] = enqueuedIso;
  out['x-opt-partition-key'] = event.partitionKey;
  // GetSystemPropertiesForBinding's copies: Offset a long, PartitionKey null when unset (kept by
  // Json.NET), EnqueuedTimeUtc the DateTime of EnqueuedTime (unspecified kind: no zone).
  out['SequenceNumber'] = event.sequenceNumber;
  out['Offset'] = hostOffset(event.offset);
  out['PartitionKey'] = event.partitionKey ?? null;
  out['EnqueuedTimeUtc'] = enqueuedTimeUtc;
  return out;
}

const json = (value: unknown): RpcTypedData => ({ json: JSON.stringify(value) });

/** The extension's Offset, a long (the JS SDK gives the service's string): a number where it is one. */
function hostOffset(offset: string | number): string | number {
  const n = Number(offset);
  return Number.isSafeInteger(n) ? n : offset;
}

/**
 * A .NET DateTime of unspecified kind as Json.NET writes it (IsoDateFormat
 * `yyyy-MM-ddTHH:mm:ss.FFFFFFFK`): no zone, the fraction without trailing zeros (none when whole).
 * The extension binds EnqueuedTime.DateTime, so Azure delivers enqueued times in this form.
 */
export function netDateTime(date: Date): string {
  const iso = date.toISOString();
  const fraction = iso.slice(19, 23).replace(/0+$/, '');
  return iso.slice(0, 19) + (fraction === '.' ? '' : fraction);
}

/**
 * The host's string collection for a string[] of binding data (PartitionKeyArray, OffsetArray): a
 * Node worker does not declare IncludeEmptyEntriesInMessagePayload, so null and empty entries are
 * dropped (the array then no longer lines up with the batch); the library JSON-parses each entry.
 */
function hostStringCollection(values: (string | number | undefined | null)[]): RpcTypedData {
  const kept: string[] = [];
  for (const v of values) if (v !== undefined && v !== null && v !== '') kept.push(String(v));
  return { collectionString: { string: kept } };
}

/**
 * An enqueued time in the host's two forms (the binding's zone-less DateTime, the annotation's ISO
 * instant), formatted once per distinct millisecond of a batch: events sent together are enqueued
 * in the same millisecond, so a backlog's batches repeat the same few times.
 */
function enqueuedFormatter(): (date: Date) => [string, string] {
  let lastMs = Number.NaN;
  let last: [string, string] = ['', ''];
  return (date) => {
    const ms = date.getTime();
    if (ms !== lastMs) {
      lastMs = ms;
      last = [netDateTime(date), date.toISOString()];
    }
    return last;
  };
}

/**
 * Trigger metadata with the host's names (PascalCase; the library camel-cases keys, also inside
 * values). Cardinality many uses the `...Array` names, one the singular names.
 */
export function eventHubTriggerMetadata(events: ReceivedEventData[], context: PartitionContext, cardinality: Cardinality): Record<string, RpcTypedData> {
  const partitionContext = json({
    EventHubName: context.eventHubName,
    ConsumerGroup: context.consumerGroup,
    FullyQualifiedNamespace: context.fullyQualifiedNamespace,
    PartitionId: context.partitionId,
  });
  // No `sys`: the host keeps its SystemBindingData for binding expressions and never sends it to a
  // worker (ScriptInvocationContextExtensions.ShouldSkipBindingData).
  if (cardinality === 'one') {
    const e = events[0]!;
    const [enqueuedTimeUtc, enqueuedIso] = enqueuedFormatter()(e.enqueuedTimeUtc);
    return {
      PartitionContext: partitionContext,
      // A string: the host sends it as text, which the library JSON-parses when it can; a null one is not sent.
      ...(e.partitionKey === undefined || e.partitionKey === null ? {} : { PartitionKey: { string: e.partitionKey } }),
      Offset: json(hostOffset(e.offset)),
      SequenceNumber: json(e.sequenceNumber),
      EnqueuedTimeUtc: json(enqueuedTimeUtc),
      Properties: json(applicationProperties(e)),
      SystemProperties: json(systemProperties(e, enqueuedTimeUtc, enqueuedIso)),
    };
  }
  // One pass over the batch for every array (each event's enqueued time formatted once).
  const n = events.length;
  const enqueued = enqueuedFormatter();
  const partitionKeys = new Array<string | null | undefined>(n);
  const offsets = new Array<string | number>(n);
  const sequenceNumbers = new Array<unknown>(n);
  const enqueuedTimes = new Array<string>(n);
  const properties = new Array<unknown>(n);
  const systemPropertiesArray = new Array<unknown>(n);
  for (let i = 0; i < n; i++) {
    const e = events[i]!;
    const [enqueuedTimeUtc, enqueuedIso] = enqueued(e.enqueuedTimeUtc);
    partitionKeys[i] = e.partitionKey;
    offsets[i] = e.offset;
    sequenceNumbers[i] = e.sequenceNumber;
    enqueuedTimes[i] = enqueuedTimeUtc;
    properties[i] = applicationProperties(e);
    systemPropertiesArray[i] = systemProperties(e, enqueuedTimeUtc, enqueuedIso);
  }
  return {
    PartitionContext: partitionContext,
    PartitionKeyArray: hostStringCollection(partitionKeys),
    OffsetArray: hostStringCollection(offsets),
    SequenceNumberArray: json(sequenceNumbers),
    EnqueuedTimeUtcArray: json(enqueuedTimes),
    PropertiesArray: json(properties),
    SystemPropertiesArray: json(systemPropertiesArray),
  };
}
