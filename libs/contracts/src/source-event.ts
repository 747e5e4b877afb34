import type { EventBody } from '@telemetry/device-state';

/** One event as the trigger delivered it, with its Event Hubs coordinates. */
export interface SourceEvent {
  body: EventBody;
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeUtc: string;
  partitionKey: string | null;
  properties: Record<string, unknown>;
  /**
   * The broker's system properties (`systemPropertiesArray` of the trigger), e.g. IoT Hub's
   * `iothub-connection-device-id`. Read in IoT Hub identity mode only; absent in older callers.
   */
  systemProperties?: Record<string, unknown>;
}

/** Where the batch came from (partitionContext of the trigger). */
export interface SourceContext {
  eventHubName?: string;
  consumerGroup?: string;
  fullyQualifiedNamespace?: string;
}
