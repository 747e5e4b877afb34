import { earliestEventPosition, EventHubConsumerClient } from '@azure/event-hubs';
import { waitUntil } from '@telemetry/local-services';

/** A sent telemetry event's identity in the hub: its device and its own timestamp (unique per device in a simulator run). */
export const telemetryKey = (deviceId: string, timestamp: string): string => `${deviceId}\n${timestamp}`;

/** The key of an event body that is telemetry JSON, else undefined. */
export function telemetryKeyOfBody(body: Uint8Array): string | undefined {
  try {
    const t = JSON.parse(Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8')) as { deviceId?: unknown; timestamp?: unknown };
    return typeof t.deviceId === 'string' && typeof t.timestamp === 'string' ? telemetryKey(t.deviceId, t.timestamp) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Event Hubs enqueued time (epoch ms) of every telemetry event now in the hub, by
 * telemetryKey (an event enqueued twice: its first enqueue). Read back with the real consumer, on a
 * consumer group of its own (not the ingestion app's), from the start of each partition up to the
 * last event enqueued when called: run it after the load, once the host has drained, so the read
 * does not compete with what it measures.
 */
export async function readEnqueuedTimes(hub: { connectionString: string; hubName: string; consumerGroup: string }, options: { timeoutMs: number }): Promise<Map<string, number>> {
  const client = new EventHubConsumerClient(hub.consumerGroup, hub.connectionString, hub.hubName);
  try {
    const partitions = await Promise.all((await client.getPartitionIds()).map((id) => client.getPartitionProperties(id)));
    const last = new Map(partitions.filter((p) => !p.isEmpty).map((p) => [p.partitionId, p.lastEnqueuedSequenceNumber]));
    const reached = new Map<string, number>();
    const times = new Map<string, number>();
    const errors: unknown[] = [];
    const subscription = client.subscribe(
      {
        processEvents: async (events, context) => {
          for (const e of events) {
            const key = e.body instanceof Uint8Array ? telemetryKeyOfBody(e.body) : undefined;
            const at = e.enqueuedTimeUtc.getTime();
            if (key !== undefined && (times.get(key) ?? Infinity) > at) times.set(key, at);
            if (e.sequenceNumber > (reached.get(context.partitionId) ?? -1)) reached.set(context.partitionId, e.sequenceNumber);
          }
        },
        processError: async (error) => {
          errors.push(error);
        },
      },
      { startPosition: earliestEventPosition, maxBatchSize: 1_000, maxWaitTimeInSeconds: 1, skipParsingBodyAsJson: true },
    );
    try {
      // The receiver's errors are retried by the SDK; the last one is told if the read never completes.
      await waitUntil(() => {
        if ([...last].every(([id, seq]) => (reached.get(id) ?? -1) >= seq)) return true;
        if (errors.length) throw errors[errors.length - 1];
        return false;
      }, { timeoutMs: options.timeoutMs, intervalMs: 100, description: `every event of ${last.size} partitions read back` });
    } finally {
      await subscription.close();
    }
    return times;
  } finally {
    await client.close();
  }
}
