import {
  EventHubConsumerClient,
  EventHubProducerClient,
  earliestEventPosition,
  latestEventPosition,
  type MessagingError,
  type ReceivedEventData,
} from '@azure/event-hubs';
import { waitUntil } from '@telemetry/local-services';
import { emulatorConnectionString } from './connection-string';
import { start, type EventHubsEmulator } from './emulator';
import { partitionForKey } from './service/partition-key';
import { receiveEvents } from './testing/consume';

const quiet = (): void => undefined;
// No retries, so errors surface as they are; a long timeout, so a loaded machine does not turn them into timeouts.
const noRetry = { retryOptions: { maxRetries: 0, timeoutInMs: 60_000 } };

describe('emulator with the real @azure/event-hubs clients', () => {
  let emulator: EventHubsEmulator;
  let producer: EventHubProducerClient;
  let consumer: EventHubConsumerClient;

  beforeAll(async () => {
    emulator = await start({ hubs: [{ name: 'telemetry', partitions: 4, consumerGroups: ['audit'] }, { name: 'other', partitions: 1 }], log: quiet });
    producer = new EventHubProducerClient(emulator.connectionString);
    consumer = new EventHubConsumerClient('$Default', emulator.connectionString);
  });
  afterAll(async () => {
    await producer?.close();
    await consumer?.close();
    await emulator?.close();
  });

  it('reports hub and partition properties', async () => {
    const hub = await producer.getEventHubProperties();
    expect(hub.name).toBe('telemetry');
    expect(hub.partitionIds).toEqual(['0', '1', '2', '3']);
    const other = new EventHubProducerClient(emulator.connectionStringFor('other'));
    try {
      expect((await other.getEventHubProperties()).partitionIds).toEqual(['0']);
      const empty = await other.getPartitionProperties('0');
      expect(empty).toMatchObject({ isEmpty: true, lastEnqueuedSequenceNumber: -1 });
    } finally {
      await other.close();
    }
  });

  it('sends to every partition and receives each in order', async () => {
    const perPartition = 50;
    await Promise.all(
      ['0', '1', '2', '3'].map(async (partitionId) => {
        const batch = await producer.createBatch({ partitionId });
        for (let i = 0; i < perPartition; i++) expect(batch.tryAdd({ body: { partitionId, i } })).toBe(true);
        await producer.sendBatch(batch);
      }),
    );
    for (const partitionId of ['0', '1', '2', '3']) {
      const props = await producer.getPartitionProperties(partitionId);
      expect(props.lastEnqueuedSequenceNumber).toBeGreaterThanOrEqual(perPartition - 1);
      const events = await receiveEvents(consumer, partitionId, earliestEventPosition, perPartition);
      const mine = events.filter((e) => (e.body as { partitionId?: string }).partitionId === partitionId);
      expect(mine.map((e) => (e.body as { i: number }).i)).toEqual(Array.from({ length: perPartition }, (_, i) => i));
      const sequenceNumbers = events.map((e) => e.sequenceNumber);
      expect(sequenceNumbers).toEqual([...sequenceNumbers].sort((a, b) => a - b));
      expect(new Set(sequenceNumbers).size).toBe(sequenceNumbers.length);
    }
  });

  it('routes a partition key to one stable partition, the one the service hash picks', async () => {
    const key = 'device-42';
    const expected = String(partitionForKey(key, 4));
    const before = await producer.getPartitionProperties(expected);
    await producer.sendBatch([{ body: 'a' }, { body: 'b' }], { partitionKey: key });
    const batch = await producer.createBatch({ partitionKey: key });
    batch.tryAdd({ body: 'c' });
    await producer.sendBatch(batch);
    const after = await producer.getPartitionProperties(expected);
    expect(after.lastEnqueuedSequenceNumber - before.lastEnqueuedSequenceNumber).toBe(3);
    const events = await receiveEvents(consumer, expected, { sequenceNumber: after.lastEnqueuedSequenceNumber - 2, isInclusive: true }, 3);
    expect(events.slice(0, 3).map((e) => [e.body, e.partitionKey])).toEqual([['a', key], ['b', key], ['c', key]]);
  });

  it('round-trips body bytes, ids, content type, application and system properties', async () => {
    const body = Buffer.from([0, 1, 2, 250, 255, 10, 13]);
    const before = await producer.getPartitionProperties('2');
    const sentAt = Date.now();
    await producer.sendBatch(
      [{ body, contentType: 'application/octet-stream', messageId: 'msg-1', correlationId: 'corr-1', properties: { deviceId: 'd1', n: 7, ok: true } }],
      { partitionId: '2' },
    );
    const [event] = await receiveEvents(consumer, '2', { sequenceNumber: before.lastEnqueuedSequenceNumber, isInclusive: false }, 1, { skipParsingBodyAsJson: true });
    const received = event as ReceivedEventData;
    expect(Buffer.compare(received.body as Buffer, body)).toBe(0);
    expect(received).toMatchObject({ contentType: 'application/octet-stream', messageId: 'msg-1', correlationId: 'corr-1', properties: { deviceId: 'd1', n: 7, ok: true } });
    expect(received.sequenceNumber).toBe(before.lastEnqueuedSequenceNumber + 1);
    expect(typeof received.offset).toBe('string');
    expect(received.enqueuedTimeUtc.getTime()).toBeGreaterThanOrEqual(sentAt - 1000);
    const after = await producer.getPartitionProperties('2');
    expect(after).toMatchObject({ lastEnqueuedSequenceNumber: received.sequenceNumber, lastEnqueuedOffset: received.offset, isEmpty: false });
    expect(after.lastEnqueuedOnUtc.getTime()).toBe(received.enqueuedTimeUtc.getTime());
  });

  it('starts from offset, sequence number (inclusive/exclusive), enqueued time and latest', async () => {
    const batch = await producer.createBatch({ partitionId: '3' });
    for (let i = 0; i < 5; i++) batch.tryAdd({ body: `p${i}` });
    await producer.sendBatch(batch);
    const all = await receiveEvents(consumer, '3', earliestEventPosition, 1);
    const tail = (await receiveEvents(consumer, '3', { sequenceNumber: (await producer.getPartitionProperties('3')).lastEnqueuedSequenceNumber - 4, isInclusive: true }, 5)).slice(0, 5);
    expect(tail.map((e) => e.body)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4']);
    const [p1, p2] = [tail[1] as ReceivedEventData, tail[2] as ReceivedEventData];
    expect((await receiveEvents(consumer, '3', { offset: p1.offset, isInclusive: true }, 1))[0]?.body).toBe('p1');
    expect((await receiveEvents(consumer, '3', { offset: p1.offset }, 1))[0]?.body).toBe('p2');
    expect((await receiveEvents(consumer, '3', { sequenceNumber: p2.sequenceNumber }, 1))[0]?.body).toBe('p3');
    const beforeFirst = new Date((all[0] as ReceivedEventData).enqueuedTimeUtc.getTime() - 1);
    expect((await receiveEvents(consumer, '3', { enqueuedOn: beforeFirst }, 1))[0]?.sequenceNumber).toBe((all[0] as ReceivedEventData).sequenceNumber);

    const received: ReceivedEventData[] = [];
    let polled = false;
    const subscription = consumer.subscribe(
      '3',
      { processEvents: async (events) => { polled = true; received.push(...events); }, processError: async () => undefined },
      { startPosition: latestEventPosition, maxWaitTimeInSeconds: 0.2 },
    );
    try {
      await waitUntil(() => polled, { timeoutMs: 60_000, description: 'the latest-position receiver to be attached' });
      await producer.sendBatch([{ body: 'fresh' }], { partitionId: '3' });
      await waitUntil(() => received.length > 0, { timeoutMs: 60_000, description: 'the fresh event' });
      expect(received.map((e) => e.body)).toEqual(['fresh']);
    } finally {
      await subscription.close();
    }
  });

  it('tracks last enqueued event properties when the receiver asks for runtime metrics', async () => {
    await producer.sendBatch([{ body: 'm' }], { partitionId: '1' });
    const props = await producer.getPartitionProperties('1');
    const infos: unknown[] = [];
    const subscription = consumer.subscribe(
      '1',
      { processEvents: async (_events, context) => { infos.push(context.lastEnqueuedEventProperties); }, processError: async () => undefined },
      { startPosition: earliestEventPosition, trackLastEnqueuedEventProperties: true, maxBatchSize: 1000, maxWaitTimeInSeconds: 1 },
    );
    try {
      const info = await waitUntil(() => infos.find((i) => (i as { sequenceNumber?: number }).sequenceNumber !== undefined), { timeoutMs: 60_000 });
      expect(info).toMatchObject({ sequenceNumber: props.lastEnqueuedSequenceNumber, offset: props.lastEnqueuedOffset });
    } finally {
      await subscription.close();
    }
  });

  it('refuses an event over 1 MB with MessageTooLargeError and sets the batch limit', async () => {
    const batch = await producer.createBatch();
    expect(batch.maxSizeInBytes).toBe(1024 * 1024);
    expect(batch.tryAdd({ body: Buffer.alloc(1024 * 1024) })).toBe(false);
    const error = await producer.sendBatch([{ body: Buffer.alloc(1024 * 1024 + 100) }], { partitionId: '0' }).catch((e: MessagingError) => e);
    expect((error as MessagingError).code).toBe('MessageTooLargeError');
  });

  it('maps an unknown hub or consumer group to MessagingEntityNotFoundError', async () => {
    const missing = new EventHubProducerClient(emulatorConnectionString(emulator.port, 'missing'), noRetry);
    try {
      const props = await missing.getEventHubProperties().catch((e: MessagingError) => e);
      expect((props as MessagingError).code).toBe('MessagingEntityNotFoundError');
      const send = await missing.sendBatch([{ body: 'x' }]).catch((e: MessagingError) => e);
      expect((send as MessagingError).code).toBe('MessagingEntityNotFoundError');
    } finally {
      await missing.close();
    }
    const unknownGroup = new EventHubConsumerClient('nope', emulator.connectionString, noRetry);
    try {
      const error = await receiveEvents(unknownGroup, '0', earliestEventPosition, 1).catch((e: MessagingError) => e);
      expect((error as MessagingError).code).toBe('MessagingEntityNotFoundError');
    } finally {
      await unknownGroup.close();
    }
    const audit = new EventHubConsumerClient('audit', emulator.connectionString);
    try {
      expect((await receiveEvents(audit, '0', earliestEventPosition, 1)).length).toBeGreaterThan(0);
    } finally {
      await audit.close();
    }
  });

  // The service answers a partition id the hub does not have with com.microsoft:argument-out-of-range
  // ("The specified partition is invalid for an EventHub partition sender or receiver."), which
  // @azure/core-amqp maps to ArgumentOutOfRangeError (not retryable). Sources: @azure/event-hubs'
  // own tests (test/public/node/client.spec.ts expect that message for getPartitionProperties,
  // sendBatch and receive) and its mock hub (sdk/eventhub/mock-hub/src/messages/event-hubs/partitionInfo.ts).
  it('maps a partition id the hub does not have to ArgumentOutOfRangeError (read, send, receive)', async () => {
    const outOfRange = (e: unknown): void => {
      expect(e).toMatchObject({ code: 'ArgumentOutOfRangeError', retryable: false });
      expect((e as Error).message).toMatch(/The specified partition is invalid for an EventHub partition sender or receiver/);
    };
    outOfRange(await producer.getPartitionProperties('9').catch((e: unknown) => e));
    const sender = new EventHubProducerClient(emulator.connectionString, noRetry);
    try {
      outOfRange(await sender.sendBatch([{ body: 'x' }], { partitionId: '9' }).catch((e: unknown) => e));
    } finally {
      await sender.close();
    }
    const receiver = new EventHubConsumerClient('$Default', emulator.connectionString, noRetry);
    try {
      outOfRange(await receiveEvents(receiver, '9', earliestEventPosition, 1).catch((e: unknown) => e));
    } finally {
      await receiver.close();
    }
  });

  // The service refuses a start position past the last event ("The supplied sequence number 'X' is
  // invalid. The last sequence number in the system is 'Y'", likewise for offsets), not retryable:
  // a stale or foreign checkpoint fails instead of waiting silently.
  it('refuses a sequence number or offset past the last event with a non-retryable ArgumentError', async () => {
    await producer.sendBatch([{ body: 'last' }], { partitionId: '2' });
    const props = await producer.getPartitionProperties('2');
    const receiver = new EventHubConsumerClient('$Default', emulator.connectionString, noRetry);
    try {
      const beyond = await receiveEvents(receiver, '2', { sequenceNumber: props.lastEnqueuedSequenceNumber + 5 }, 1).catch((e: unknown) => e);
      expect(beyond).toMatchObject({ code: 'ArgumentError', retryable: false });
      expect((beyond as Error).message).toContain(`The supplied sequence number '${props.lastEnqueuedSequenceNumber + 5}' is invalid. The last sequence number in the system is '${props.lastEnqueuedSequenceNumber}'`);
      const pastOffset = Number(props.lastEnqueuedOffset) + 1000;
      const offsetBeyond = await receiveEvents(receiver, '2', { offset: String(pastOffset) }, 1).catch((e: unknown) => e);
      expect(offsetBeyond).toMatchObject({ code: 'ArgumentError', retryable: false });
      expect((offsetBeyond as Error).message).toContain(`The supplied offset '${pastOffset}' is invalid`);
      // The last event itself is a valid start.
      expect((await receiveEvents(receiver, '2', { sequenceNumber: props.lastEnqueuedSequenceNumber, isInclusive: true }, 1))[0]?.body).toBe('last');
    } finally {
      await receiver.close();
    }
  });

  it('lets a higher owner level steal a partition and refuses a lower one', async () => {
    await producer.sendBatch([{ body: 'epoch' }], { partitionId: '0' });
    type Watch = { polled: boolean; errors: MessagingError[]; closeReasons: string[] };
    const watch = (ownerLevel: number): { state: Watch; close: () => Promise<void> } => {
      const state: Watch = { polled: false, errors: [], closeReasons: [] };
      // One client per subscriber: a client refuses two subscriptions to one partition itself.
      const client = new EventHubConsumerClient('$Default', emulator.connectionString);
      const subscription = client.subscribe(
        '0',
        {
          processEvents: async () => { state.polled = true; },
          processError: async (error) => { state.errors.push(error as MessagingError); },
          processClose: async (reason) => { state.closeReasons.push(reason); },
        },
        { startPosition: earliestEventPosition, ownerLevel, maxWaitTimeInSeconds: 0.2 },
      );
      return { state, close: () => subscription.close().then(() => client.close()) };
    };
    const low = watch(1);
    let high: ReturnType<typeof watch> | undefined;
    let lower: ReturnType<typeof watch> | undefined;
    try {
      await waitUntil(() => low.state.polled, { timeoutMs: 60_000, description: 'owner level 1 receiving' });
      high = watch(2);
      const h = high;
      await waitUntil(() => h.state.polled && low.state.errors.length > 0, { timeoutMs: 60_000, description: 'owner level 2 stealing' });
      expect(low.state.errors[0]?.code).toBe('ReceiverDisconnectedError');
      await waitUntil(() => low.state.closeReasons.includes('OwnershipLost'), { timeoutMs: 60_000 });
      lower = watch(1);
      const l = lower;
      await waitUntil(() => l.state.errors.length > 0, { timeoutMs: 60_000, description: 'the lower owner level refused' });
      expect(l.state.errors[0]?.code).toBe('ReceiverDisconnectedError');
      expect(h.state.errors).toEqual([]);
    } finally {
      await Promise.all([low.close(), high?.close(), lower?.close()]);
    }
  });
});

describe('emulator with a SAS key', () => {
  it('accepts the right key and refuses a wrong one with UnauthorizedError', async () => {
    const emulator = await start({ hubs: [{ name: 'secure', partitions: 1 }], sas: { keyName: 'RootManageSharedAccessKey', key: 'c2VjcmV0LWtleQ==' }, log: quiet });
    const good = new EventHubProducerClient(emulator.connectionString, noRetry);
    const bad = new EventHubProducerClient(emulator.connectionString.replace('c2VjcmV0LWtleQ==', 'd3Jvbmc='), noRetry);
    try {
      await good.sendBatch([{ body: 'ok' }]);
      expect((await good.getPartitionProperties('0')).lastEnqueuedSequenceNumber).toBe(0);
      const error = await bad.sendBatch([{ body: 'no' }]).catch((e: MessagingError) => e);
      expect((error as MessagingError).code).toBe('UnauthorizedError');
      const props = await bad.getEventHubProperties().catch((e: MessagingError) => e);
      expect((props as MessagingError).code).toBe('UnauthorizedError');
    } finally {
      await Promise.all([good.close(), bad.close()]);
      await emulator.close();
    }
  });
});
