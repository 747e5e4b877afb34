import type { EventHubProducerClient } from '@azure/event-hubs';
import { redriveEventOf, type RedriveTarget } from '@telemetry/reprocessing';

/**
 * Redrive to Event Hubs: the original bytes and application properties, the original partition
 * key (or, for events sent without one, the original partition), plus the x-redrive marker.
 */
export function eventHubsTarget(producer: () => EventHubProducerClient): RedriveTarget {
  return {
    name: 'event-hubs',
    async redrive(letter) {
      const event = redriveEventOf(letter);
      const options = event.partitionKey ? { partitionKey: event.partitionKey } : letter.partitionId ? { partitionId: letter.partitionId } : {};
      await producer().sendBatch([{ body: event.body, properties: event.properties }], options);
    },
  };
}
