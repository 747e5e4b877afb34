import { EventHubConsumerClient, EventHubProducerClient, type ReceivedEventData } from '@azure/event-hubs';
import { start, type EventHubsEmulator } from './emulator';
import { receiveEvents } from './testing/consume';

const quiet = (): void => undefined;

// Issue 22: IoT Hub forwards the authenticated identity as message annotations; the emulator must
// pass a producer's annotations through with their AMQP types (timestamp stays a timestamp), next
// to its own x-opt-* ones, so the local host can hand them to ingestion as the extension does.
describe('emulator: producer message annotations (IoT Hub system properties) pass through typed', () => {
  let emulator: EventHubsEmulator;
  let producer: EventHubProducerClient;
  let consumer: EventHubConsumerClient;

  beforeAll(async () => {
    emulator = await start({ hubs: [{ name: 'telemetry', partitions: 2 }], log: quiet });
    producer = new EventHubProducerClient(emulator.connectionString);
    consumer = new EventHubConsumerClient('$Default', emulator.connectionString);
  });
  afterAll(async () => {
    await producer?.close();
    await consumer?.close();
    await emulator?.close();
  });

  it('iothub-* annotations arrive as sent (strings as strings, the enqueued time as a timestamp), beside the service annotations', async () => {
    const enqueued = new Date('2026-12-01T09:59:59.987Z');
    const before = await producer.getPartitionProperties('1');
    await producer.sendBatch([{
      body: Buffer.from('{"timestamp":"2026-12-01T09:59:59Z"}'),
      bodyType: 'data',
      messageAnnotations: {
        'iothub-connection-device-id': "a?b#c'(1)",
        'iothub-connection-module-id': 'camera',
        'iothub-connection-auth-generation-id': '638000000000000001',
        'iothub-message-source': 'Telemetry',
        'iothub-enqueuedtime': enqueued,
      },
    }], { partitionId: '1' });
    const [event] = await receiveEvents(consumer, '1', { sequenceNumber: before.lastEnqueuedSequenceNumber, isInclusive: false }, 1, { skipParsingBodyAsJson: true });
    const annotations = (event as ReceivedEventData).getRawAmqpMessage().messageAnnotations ?? {};
    expect(annotations).toMatchObject({
      'iothub-connection-device-id': "a?b#c'(1)",
      'iothub-connection-module-id': 'camera',
      'iothub-connection-auth-generation-id': '638000000000000001',
      'iothub-message-source': 'Telemetry',
    });
    expect(annotations['iothub-enqueuedtime']).toBeInstanceOf(Date);
    expect((annotations['iothub-enqueuedtime'] as Date).toISOString()).toBe(enqueued.toISOString());
    expect(annotations['x-opt-sequence-number']).toBe(before.lastEnqueuedSequenceNumber + 1);
    expect(annotations['x-opt-enqueued-time']).toBeInstanceOf(Date);
  });
});
