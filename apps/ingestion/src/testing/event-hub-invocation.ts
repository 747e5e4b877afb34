import { InvocationContext } from '@azure/functions';
import type { SourceEvent } from '@telemetry/contracts';

/** Builds the (bodies, context) pair the Functions host passes for an Event Hubs batch. */
export function eventHubInvocation(events: SourceEvent[], partitionId = '0'): [unknown[], InvocationContext] {
  const context = new InvocationContext({
    functionName: 'ingestTelemetry',
    triggerMetadata: {
      partitionContext: { eventHubName: 'telemetry', consumerGroup: '$Default', fullyQualifiedNamespace: '127.0.0.1', partitionId },
      sequenceNumberArray: events.map((e) => e.sequenceNumber),
      offsetArray: events.map((e) => e.offset),
      enqueuedTimeUtcArray: events.map((e) => e.enqueuedTimeUtc),
      partitionKeyArray: events.map((e) => e.partitionKey),
      propertiesArray: events.map((e) => e.properties),
      // The host's shape (camel-cased first letters): broker annotations by name plus its own copies.
      systemPropertiesArray: events.map((e) => ({ ...e.systemProperties, sequenceNumber: e.sequenceNumber, offset: e.offset })),
    },
    logHandler: () => undefined,
  });
  return [events.map((e) => e.body), context];
}
