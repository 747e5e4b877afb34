import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import { eventHubTriggerMetadata } from './eventhub-trigger-data';

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
    const metadata = eventHubTriggerMetadata([event], context, 'many', 'ingest');
    const [sys] = JSON.parse(metadata['SystemPropertiesArray']!.json as string) as Record<string, unknown>[];
    expect(sys).toEqual({
      'iothub-connection-device-id': 'drone-1',
      'iothub-connection-auth-generation-id': '638000000000000001',
      'iothub-message-source': 'Telemetry',
      'iothub-enqueuedtime': '2026-12-01T09:59:59.987Z',
      'message-id': 'm-1', 'content-type': 'application/json', 'content-encoding': 'utf-8', 'correlation-id': 'c-1',
      'x-opt-sequence-number': 7, 'x-opt-offset': '700', 'x-opt-enqueued-time': '2026-12-01T10:00:00.123Z', 'x-opt-partition-key': 'drone-1',
      SequenceNumber: 7, Offset: '700', PartitionKey: 'drone-1', EnqueuedTimeUtc: '2026-12-01T10:00:00.123Z',
    });
  });
});
