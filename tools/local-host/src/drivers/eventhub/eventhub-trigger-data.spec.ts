import fc from 'fast-check';
import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import type { RpcTypedData } from '../../core/core-types';
import { eventHubTriggerMetadata, netDateTime } from './eventhub-trigger-data';

const enqueued = new Date('2026-12-01T10:00:00.123Z');
const iotHubEnqueued = new Date('2026-12-01T09:59:59.987Z');

/** An event as @azure/event-hubs receives one IoT Hub forwarded: the SDK turns dates into numbers in systemProperties, the raw message keeps them. */
const event = {
  body: Buffer.from('{}'), sequenceNumber: 7, offset: '700', enqueuedTimeUtc: enqueued, partitionKey: 'drone-1', properties: {},
  systemProperties: { 'iothub-enqueuedtime': iotHubEnqueued.getTime(), messageId: 'm-1' },
  getRawAmqpMessage: () => ({
    body: Buffer.from('{}'), bodyType: 'data',
    properties: { messageId: 'm-1', contentType: 'application/json', contentEncoding: 'utf-8', correlationId: 'c-1' },
    messageAnnotations: {
      'iothub-connection-device-id': 'drone-1', 'iothub-connection-auth-generation-id': '638000000000000001',
      'iothub-message-source': 'Telemetry', 'iothub-enqueuedtime': iotHubEnqueued,
      'x-opt-sequence-number': 7, 'x-opt-offset': '700', 'x-opt-enqueued-time': enqueued, 'x-opt-partition-key': 'drone-1',
    },
  }),
} as unknown as ReceivedEventData;
const context = { eventHubName: 'telemetry', consumerGroup: '$Default', fullyQualifiedNamespace: '127.0.0.1', partitionId: '0' } as PartitionContext;

describe('systemPropertiesArray as the Functions Event Hubs extension builds it', () => {
  it('message annotations by name with .NET types as JSON (DateTime -> ISO string), the properties section with its AMQP names, and the host copies', () => {
    const metadata = eventHubTriggerMetadata([event], context, 'many');
    const [sys] = JSON.parse(metadata['SystemPropertiesArray']!.json as string) as Record<string, unknown>[];
    expect(sys).toEqual({
      'iothub-connection-device-id': 'drone-1',
      'iothub-connection-auth-generation-id': '638000000000000001',
      'iothub-message-source': 'Telemetry',
      'iothub-enqueuedtime': '2026-12-01T09:59:59.987Z',
      'message-id': 'm-1', 'content-type': 'application/json', 'content-encoding': 'utf-8', 'correlation-id': 'c-1',
      'x-opt-sequence-number': 7, 'x-opt-offset': '700', 'x-opt-enqueued-time': '2026-12-01T10:00:00.123Z', 'x-opt-partition-key': 'drone-1',
      SequenceNumber: 7, Offset: 700, PartitionKey: 'drone-1', EnqueuedTimeUtc: '2026-12-01T10:00:00.123',
    });
  });

  it('the binding data the extension adds (EventHubTriggerBindingStrategy): string[] keys and offsets as the host sends string collections, DateTimes without a zone', () => {
    const keyless = { ...event, sequenceNumber: 8, offset: '800', partitionKey: undefined, enqueuedTimeUtc: new Date('2026-12-01T10:00:01.500Z'), getRawAmqpMessage: undefined, systemProperties: {} } as unknown as ReceivedEventData;
    const numeric = { ...keyless, sequenceNumber: 9, offset: '900', partitionKey: '42', enqueuedTimeUtc: new Date('2026-12-01T10:00:02.000Z') } as unknown as ReceivedEventData;
    const metadata = eventHubTriggerMetadata([event, keyless, numeric], context, 'many');
    // Null entries dropped (no IncludeEmptyEntriesInMessagePayload from a Node worker): the array no longer lines up.
    expect(metadata['PartitionKeyArray']).toEqual({ collectionString: { string: ['drone-1', '42'] } });
    expect(metadata['OffsetArray']).toEqual({ collectionString: { string: ['700', '800', '900'] } });
    expect(JSON.parse(metadata['EnqueuedTimeUtcArray']!.json as string)).toEqual(['2026-12-01T10:00:00.123', '2026-12-01T10:00:01.5', '2026-12-01T10:00:02']);
    const sys = JSON.parse(metadata['SystemPropertiesArray']!.json as string) as Record<string, unknown>[];
    expect(sys.map((p) => [p['PartitionKey'], p['Offset'], p['EnqueuedTimeUtc']])).toEqual([
      ['drone-1', 700, '2026-12-01T10:00:00.123'],
      [null, 800, '2026-12-01T10:00:01.5'],
      ['42', 900, '2026-12-01T10:00:02'],
    ]);
    const one = eventHubTriggerMetadata([numeric], context, 'one');
    expect([one['PartitionKey'], one['Offset'], one['EnqueuedTimeUtc']]).toEqual([{ string: '42' }, { json: '900' }, { json: '"2026-12-01T10:00:02"' }]);
    expect(eventHubTriggerMetadata([keyless], context, 'one')['PartitionKey']).toBeUndefined();
  });

  it('application properties as the extension holds them: binary as base64, timestamps as ISO strings (from the raw AMQP section)', () => {
    const typed = {
      ...event, properties: { buf: { 0: 104, 1: 105 }, ts: 1704164645600, n: 5 },
      getRawAmqpMessage: () => ({ body: Buffer.from('{}'), bodyType: 'data', applicationProperties: { buf: Buffer.from('hi'), ts: new Date('2024-01-02T03:04:05.600Z'), n: 5, s: 'str' } }),
    } as unknown as ReceivedEventData;
    for (const cardinality of ['one', 'many'] as const) {
      const metadata = eventHubTriggerMetadata([typed], context, cardinality);
      const parsed = JSON.parse((cardinality === 'one' ? metadata['Properties'] : metadata['PropertiesArray'])!.json as string) as unknown;
      expect([parsed].flat()[0]).toEqual({ buf: 'aGk=', ts: '2024-01-02T03:04:05.600Z', n: 5, s: 'str' });
    }
  });

  it('netDateTime writes a DateTime of unspecified kind as Json.NET does: no zone, the fraction without trailing zeros', () => {
    expect(netDateTime(new Date('2026-12-01T10:00:00.120Z'))).toBe('2026-12-01T10:00:00.12');
    expect(netDateTime(new Date('2026-12-01T10:00:00.000Z'))).toBe('2026-12-01T10:00:00');
    expect(netDateTime(new Date('2026-12-01T10:00:00.007Z'))).toBe('2026-12-01T10:00:00.007');
  });

  it('the properties section\'s timestamps (epoch ms from the JS SDK) are DateTimes as the extension has them: ISO strings', () => {
    const withTimes = {
      ...event,
      getRawAmqpMessage: () => ({ body: Buffer.from('{}'), bodyType: 'data', properties: { messageId: 'm-2', creationTime: enqueued.getTime(), absoluteExpiryTime: Date.parse('2026-12-02T10:00:00Z'), groupSequence: 3 } }),
    } as unknown as ReceivedEventData;
    for (const cardinality of ['one', 'many'] as const) {
      const metadata = eventHubTriggerMetadata([withTimes], context, cardinality);
      const json = (cardinality === 'one' ? metadata['SystemProperties'] : metadata['SystemPropertiesArray'])!.json as string;
      const sys = [JSON.parse(json) as Record<string, unknown>].flat()[0]!;
      expect(sys).toMatchObject({ 'message-id': 'm-2', 'creation-time': '2026-12-01T10:00:00.123Z', 'absolute-expiry-time': '2026-12-02T10:00:00.000Z', 'group-sequence': 3 });
    }
  });
});

/**
 * The metadata as first written here (objects spread per event, one map per array): the readable
 * statement of the shapes above. The hot-path version must give the same bytes.
 */
function referenceTriggerMetadata(events: ReceivedEventData[], context: PartitionContext, cardinality: 'one' | 'many'): Record<string, string> {
  const names: Record<string, string> = {
    messageId: 'message-id', userId: 'user-id', to: 'to', subject: 'subject', replyTo: 'reply-to', correlationId: 'correlation-id',
    contentType: 'content-type', contentEncoding: 'content-encoding', absoluteExpiryTime: 'absolute-expiry-time', creationTime: 'creation-time',
    groupId: 'group-id', groupSequence: 'group-sequence', replyToGroupId: 'reply-to-group-id',
  };
  const hostValue = (value: unknown): unknown => {
    if (value instanceof Date) return value.toISOString();
    if (Buffer.isBuffer(value) || value instanceof Uint8Array) return Buffer.from(value).toString('base64');
    return value;
  };
  const broker = (event: ReceivedEventData): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    const raw = event.getRawAmqpMessage?.();
    if (!raw) return { ...(event.systemProperties ?? {}) };
    for (const [key, value] of Object.entries(raw.properties ?? {})) {
      const name = names[key];
      if (name === undefined || value === undefined || value === null) continue;
      out[name] = (key === 'absoluteExpiryTime' || key === 'creationTime') && typeof value === 'number' ? new Date(value).toISOString() : hostValue(value);
    }
    for (const [key, value] of Object.entries(raw.messageAnnotations ?? {})) out[key] = hostValue(value);
    return out;
  };
  const props = (e: ReceivedEventData): unknown => {
    const raw = e.getRawAmqpMessage?.().applicationProperties as Record<string, unknown> | undefined;
    return raw ? Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, hostValue(v)])) : (e.properties ?? {});
  };
  const plain = (d: Date): string => d.toISOString().slice(0, 23).replace(/\.?0+$/, '');
  const sys = (event: ReceivedEventData): Record<string, unknown> => ({
    ...broker(event),
    'x-opt-sequence-number': event.sequenceNumber,
    'x-opt-offset': event.offset,
    'x-opt-enqueued-time': event.enqueuedTimeUtc.toISOString(),
    'x-opt-partition-key': event.partitionKey,
    SequenceNumber: event.sequenceNumber,
    Offset: Number(event.offset),
    PartitionKey: event.partitionKey ?? null,
    EnqueuedTimeUtc: plain(event.enqueuedTimeUtc),
  });
  const partitionContext = JSON.stringify({ EventHubName: context.eventHubName, ConsumerGroup: context.consumerGroup, FullyQualifiedNamespace: context.fullyQualifiedNamespace, PartitionId: context.partitionId });
  if (cardinality === 'one') {
    const e = events[0]!;
    return {
      PartitionContext: partitionContext, ...(e.partitionKey === undefined ? {} : { PartitionKey: `string:${e.partitionKey}` }), Offset: JSON.stringify(Number(e.offset)), SequenceNumber: JSON.stringify(e.sequenceNumber),
      EnqueuedTimeUtc: JSON.stringify(plain(e.enqueuedTimeUtc)), Properties: JSON.stringify(props(e)), SystemProperties: JSON.stringify(sys(e)),
    };
  }
  const strings = (values: unknown[]): string => `strings:${JSON.stringify(values.filter((v) => v !== undefined && v !== null && v !== '').map(String))}`;
  return {
    PartitionContext: partitionContext,
    PartitionKeyArray: strings(events.map((e) => e.partitionKey)),
    OffsetArray: strings(events.map((e) => e.offset)),
    SequenceNumberArray: JSON.stringify(events.map((e) => e.sequenceNumber)),
    EnqueuedTimeUtcArray: JSON.stringify(events.map((e) => plain(e.enqueuedTimeUtc))),
    PropertiesArray: JSON.stringify(events.map(props)),
    SystemPropertiesArray: JSON.stringify(events.map(sys)),
  };
}

describe('eventHubTriggerMetadata gives the bytes of the reference construction', () => {
  const date = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true });
  const bytes = fc.uint8Array({ maxLength: 24 });
  // Values an AMQP section can hold as the SDK decodes them: timestamps as Date, binary as Buffer (or a plain Uint8Array), numbers, strings, null.
  const amqpValue = fc.oneof(fc.string(), fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), fc.constant(undefined), date, bytes.map((b) => Buffer.from(b)), bytes, bytes.map((b) => new Uint8Array([9, ...b, 9]).subarray(1, b.length + 1)));
  const propertiesSection = fc.record(
    {
      messageId: fc.oneof(fc.string(), fc.integer(), fc.constant(null)), userId: bytes.map((b) => Buffer.from(b)), to: fc.string(), subject: fc.string(), replyTo: fc.string(),
      correlationId: fc.string(), contentType: fc.constant('application/json'), contentEncoding: fc.constant('utf-8'), absoluteExpiryTime: fc.integer({ min: 0 }),
      creationTime: fc.integer({ min: 0 }), groupId: fc.string(), groupSequence: fc.nat(), replyToGroupId: fc.string(), unknownToTheHost: fc.string(),
    },
    { requiredKeys: [] },
  );
  const annotationKey = fc.oneof(
    fc.constantFrom('iothub-connection-device-id', 'iothub-connection-auth-generation-id', 'iothub-enqueuedtime', 'iothub-message-source', 'x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time', 'x-opt-partition-key', 'message-id', 'x-opt-publisher', '7', '10'),
    fc.string({ maxLength: 12 }),
  );
  const event = fc.record({
    sequenceNumber: fc.nat(),
    offset: fc.oneof(fc.nat().map(String), fc.nat()),
    // Events of a batch often share their enqueued millisecond.
    enqueuedTimeUtc: fc.oneof(date, fc.constantFrom(0, 1).map((ms) => new Date(Date.UTC(2026, 11, 1) + ms))),
    partitionKey: fc.option(fc.string(), { nil: undefined }),
    properties: fc.option(fc.dictionary(fc.string({ maxLength: 8 }), fc.oneof(fc.string(), fc.integer(), fc.boolean())), { nil: undefined }),
    systemProperties: fc.option(fc.dictionary(annotationKey, fc.oneof(fc.string(), fc.integer())), { nil: undefined }),
    raw: fc.option(fc.record({ properties: fc.option(propertiesSection, { nil: undefined }), messageAnnotations: fc.option(fc.dictionary(annotationKey, amqpValue), { nil: undefined }) }), { nil: undefined }),
  }).map(({ raw, ...e }) => ({ body: Buffer.from('{}'), ...e, ...(raw ? { getRawAmqpMessage: () => ({ body: Buffer.from('{}'), bodyType: 'data', ...raw }) } : {}) }) as unknown as ReceivedEventData);

  it('for batches (many) and single events (one), IoT Hub annotations, Date/Buffer values and missing sections included', () => {
    fc.assert(
      fc.property(fc.array(event, { minLength: 1, maxLength: 8 }), fc.constantFrom('one' as const, 'many' as const), (events, cardinality) => {
        const metadata = eventHubTriggerMetadata(events, context, cardinality);
        const encoded = (value: RpcTypedData): string | undefined =>
          value.collectionString ? `strings:${JSON.stringify(value.collectionString.string)}` : typeof value.string === 'string' ? `string:${value.string}` : (value.json as string);
        expect(Object.fromEntries(Object.entries(metadata).map(([name, value]) => [name, encoded(value)]))).toEqual(referenceTriggerMetadata(events, context, cardinality));
        expect(Object.keys(metadata)).toEqual(Object.keys(referenceTriggerMetadata(events, context, cardinality)));
        // The host never sends its `sys` binding data to a worker (ShouldSkipBindingData).
        expect(Object.keys(metadata)).not.toContain('sys');
      }),
      { numRuns: 300 },
    );
  });
});
