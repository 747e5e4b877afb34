import { PipelineError } from '@telemetry/core';
import * as z from '@telemetry/core/zod';
import { IOT_HUB_DEVICE_ID_PATTERN } from './device-id';

/**
 * Where a device's identity comes from (app setting DEVICE_IDENTITY_SOURCE):
 * - `body`: the body's `deviceId` (plain Event Hubs producers; anyone with send rights can name any device);
 * - `iothub`: the id IoT Hub authenticated, from the event's system properties. Safe only when
 *   ingestion reads IoT Hub's built-in endpoint, where producers cannot set those properties.
 */
export const IDENTITY_SOURCES = ['body', 'iothub'] as const;
export type IdentitySource = (typeof IDENTITY_SOURCES)[number];
export const identitySourceSetting = z._default(z.enum(IDENTITY_SOURCES), 'body');

/**
 * The system properties IoT Hub sets on every message it forwards to its built-in endpoint, as the
 * Functions Event Hubs extension delivers them (`SystemProperties` / `systemPropertiesArray`: the
 * AMQP message annotations by name; the Node library lower-cases only a key's first letter, so
 * these arrive unchanged).
 */
export const IOT_HUB_PROPERTIES = {
  deviceId: 'iothub-connection-device-id',
  moduleId: 'iothub-connection-module-id',
  authGenerationId: 'iothub-connection-auth-generation-id',
  messageSource: 'iothub-message-source',
  enqueuedTime: 'iothub-enqueuedtime',
} as const;

/** `iothub-message-source` of device-to-cloud messages; other sources are twin, lifecycle and connection-state events. */
export const TELEMETRY_SOURCE = 'Telemetry';

/** What IoT Hub says about one message, read as delivered (absent values are null). */
export interface IotHubIdentity {
  deviceId: string | null;
  moduleId: string | null;
  authGenerationId: string | null;
  messageSource: string | null;
  /** `iothub-enqueuedtime` as ISO 8601 (the host delivers a DateTime: a JSON date string). */
  enqueuedTime: string | null;
}

/**
 * A device generation: IoT Hub gives a device deleted and recreated under the same id a new
 * `iothub-connection-auth-generation-id`. `at` is the newest IoT Hub enqueued time (epoch ms)
 * seen from it: every message of an older generation was enqueued before the device was
 * deleted, so before any message of the newer one, which is how two generations are ordered.
 */
export interface Generation {
  id: string;
  at: number;
}

/** The identity an event is applied under in IoT Hub mode. */
export interface AuthenticatedDevice {
  deviceId: string;
  generation?: Generation;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** An ISO 8601 UTC instant as Json.NET writes a DateTime (up to 7 fractional digits). */
const ISO_INSTANT = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,7})?Z$/;

function isoTime(v: unknown): string | null {
  // The host's JSON date string is kept as delivered (re-formatting costs microseconds per event).
  if (typeof v === 'string') return ISO_INSTANT.test(v) ? v : Number.isFinite(Date.parse(v)) ? new Date(Date.parse(v)).toISOString() : null;
  const ms = v instanceof Date ? v.getTime() : typeof v === 'number' ? v : NaN;
  // A Date holds +-8.64e15 ms: a finite number beyond that (1e20) is no time either, not a RangeError.
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** Reads the IoT Hub system properties of one event. Never throws. */
export function readIotHubIdentity(systemProperties: Record<string, unknown> | undefined): IotHubIdentity {
  const p = systemProperties ?? {};
  return {
    deviceId: text(p[IOT_HUB_PROPERTIES.deviceId]),
    moduleId: text(p[IOT_HUB_PROPERTIES.moduleId]),
    authGenerationId: text(p[IOT_HUB_PROPERTIES.authGenerationId]),
    messageSource: text(p[IOT_HUB_PROPERTIES.messageSource]),
    enqueuedTime: isoTime(p[IOT_HUB_PROPERTIES.enqueuedTime]),
  };
}

/**
 * The device an event may be applied for, in IoT Hub mode. Throws PipelineError (all permanent):
 * - EVENT_IDENTITY_MISSING: no `iothub-connection-device-id`, or one IoT Hub would not issue;
 * - EVENT_NOT_TELEMETRY: `iothub-message-source` is set and is not `Telemetry` (twin changes,
 *   lifecycle and connection-state events are facts about the registry, not device readings);
 * - EVENT_FROM_MODULE: sent by a module of the device (`iothub-connection-module-id`), which holds
 *   its own credentials: a device's state is what the device itself reports (README, "IoT Hub mode").
 * `fallbackEnqueuedAt` (epoch ms, the Event Hubs enqueued time) orders generations when
 * `iothub-enqueuedtime` is absent.
 */
export function authenticatedDevice(identity: IotHubIdentity, fallbackEnqueuedAt: number): AuthenticatedDevice {
  const { deviceId, moduleId, messageSource, authGenerationId } = identity;
  if (deviceId === null) throw new PipelineError('EVENT_IDENTITY_MISSING', `no ${IOT_HUB_PROPERTIES.deviceId} system property: the event did not come through IoT Hub`);
  if (!IOT_HUB_DEVICE_ID_PATTERN.test(deviceId)) {
    throw new PipelineError('EVENT_IDENTITY_MISSING', `${IOT_HUB_PROPERTIES.deviceId} ${JSON.stringify(deviceId.slice(0, 200))} is not an id IoT Hub issues`);
  }
  if (messageSource !== null && messageSource !== TELEMETRY_SOURCE) {
    throw new PipelineError('EVENT_NOT_TELEMETRY', `message source ${JSON.stringify(messageSource.slice(0, 100))} of device ${deviceId} is not ${TELEMETRY_SOURCE}: never applied as telemetry`);
  }
  if (moduleId !== null) {
    throw new PipelineError('EVENT_FROM_MODULE', `sent by module ${JSON.stringify(moduleId.slice(0, 200))} of device ${deviceId}, not by the device: not applied`);
  }
  if (authGenerationId === null) return { deviceId };
  const at = identity.enqueuedTime === null ? fallbackEnqueuedAt : Date.parse(identity.enqueuedTime);
  return { deviceId, generation: { id: authGenerationId, at: Number.isFinite(at) ? at : 0 } };
}

/** Thrown for a body that names another device than IoT Hub authenticated: both ids travel with it. */
export class DeviceSpoofedError extends PipelineError {
  constructor(
    readonly authenticatedDeviceId: string,
    readonly claimedDeviceId: string,
  ) {
    super('EVENT_DEVICE_SPOOFED', `body names device ${JSON.stringify(claimedDeviceId.slice(0, 200))} but IoT Hub authenticated ${JSON.stringify(authenticatedDeviceId)}: not applied`);
  }
}
