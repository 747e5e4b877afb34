import type { EventHubConsumerClient, EventPosition } from '@azure/event-hubs';

/** Where one event sits in its partition: what a checkpoint records and what lag ages are read from. */
export interface EventMark {
  sequenceNumber: number;
  /** Event Hubs offset, as a string (what BlobCheckpointStore writes as metadata `offset`). */
  offset: string;
  enqueuedTimeUtc: string;
}

export interface ReadFirstEventOptions {
  /** How long to wait for the first event before concluding there is none (seconds; default 5). */
  maxWaitSeconds?: number;
  signal?: AbortSignal;
}

/**
 * The first event of a partition at or after `position` (e.g. `{ enqueuedOn }`, `{ sequenceNumber,
 * isInclusive }`), read with the real receiver, or undefined when none arrives in time. The reader
 * uses a consumer group of its own choice (not the ingestion one, whose epoch receiver would
 * refuse or be disturbed by a second reader).
 */
export async function readFirstEvent(
  client: Pick<EventHubConsumerClient, 'subscribe'>,
  partitionId: string,
  position: EventPosition,
  options: ReadFirstEventOptions = {},
): Promise<EventMark | undefined> {
  const maxWaitTimeInSeconds = options.maxWaitSeconds ?? 5;
  return new Promise<EventMark | undefined>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void subscription.close().finally(outcome);
    };
    const subscription = client.subscribe(
      partitionId,
      {
        processEvents: async (events) => {
          const first = events[0];
          finish(() => resolve(first ? { sequenceNumber: first.sequenceNumber, offset: String(first.offset), enqueuedTimeUtc: first.enqueuedTimeUtc.toISOString() } : undefined));
        },
        processError: async (error) => finish(() => reject(error)),
      },
      { startPosition: position, maxBatchSize: 1, maxWaitTimeInSeconds },
    );
    options.signal?.addEventListener('abort', () => finish(() => reject(options.signal?.reason ?? new Error('aborted'))), { once: true });
  });
}
