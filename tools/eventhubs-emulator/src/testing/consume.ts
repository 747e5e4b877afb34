import type { EventHubConsumerClient, EventPosition, ReceivedEventData, SubscribeOptions } from '@azure/event-hubs';
import { waitUntil } from '@telemetry/local-services';

/** Receives at least `count` events of one partition from `startPosition`, then closes the subscription. */
export async function receiveEvents(
  client: EventHubConsumerClient,
  partitionId: string,
  startPosition: EventPosition,
  count: number,
  options: Omit<SubscribeOptions, 'startPosition'> = {},
): Promise<ReceivedEventData[]> {
  const received: ReceivedEventData[] = [];
  const errors: unknown[] = [];
  const subscription = client.subscribe(
    partitionId,
    {
      processEvents: async (events) => {
        received.push(...events);
      },
      processError: async (error) => {
        errors.push(error);
      },
    },
    { maxBatchSize: 500, maxWaitTimeInSeconds: 1, ...options, startPosition },
  );
  try {
    await waitUntil(() => received.length >= count || errors.length > 0, { timeoutMs: 60_000, description: `${count} events from partition ${partitionId}` });
  } finally {
    await subscription.close();
  }
  if (received.length < count) throw errors[0];
  return received;
}
