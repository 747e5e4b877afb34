import type { ReceivedEventData } from '@azure/event-hubs';

/** The SDK's raw AMQP message type (from @azure/core-amqp, reached through @azure/event-hubs). */
export type AmqpAnnotatedMessage = ReturnType<ReceivedEventData['getRawAmqpMessage']>;

/** What IoT Hub stamps on a message it forwards to its built-in endpoint (the simulator's IoT Hub mode). */
export interface IotHubEnvelope {
  /** `iothub-connection-device-id`: the device IoT Hub authenticated. */
  deviceId: string;
  /** `iothub-connection-module-id`: set when a module of the device sent it. */
  moduleId?: string;
  /** `iothub-connection-auth-generation-id`: changes when the device is deleted and recreated. */
  generationId: string;
  /** `iothub-message-source`: Telemetry, twinChangeEvents, deviceLifecycleEvents, deviceConnectionStateEvents... */
  source: string;
}

/**
 * An event as IoT Hub forwards it: the body as a data section and the identity as message
 * annotations, with IoT Hub's names and AMQP types (`iothub-enqueuedtime` a timestamp, the rest
 * strings), so the trigger's systemProperties carry them as they do in Azure.
 */
export function iotHubMessage(body: Buffer, envelope: IotHubEnvelope, enqueuedAt: Date, applicationProperties: Record<string, string | number> = {}): AmqpAnnotatedMessage {
  const annotations: Record<string, unknown> = {
    'iothub-connection-device-id': envelope.deviceId,
    'iothub-connection-auth-method': JSON.stringify({ scope: envelope.moduleId ? 'module' : 'device', type: 'sas', issuer: 'iothub', acceptingIpFilterRule: null }),
    'iothub-connection-auth-generation-id': envelope.generationId,
    'iothub-enqueuedtime': enqueuedAt,
    'iothub-message-source': envelope.source,
  };
  if (envelope.moduleId) annotations['iothub-connection-module-id'] = envelope.moduleId;
  return {
    body,
    bodyType: 'data',
    messageAnnotations: annotations,
    applicationProperties,
    properties: { contentType: 'application/json', contentEncoding: 'utf-8' },
  };
}
