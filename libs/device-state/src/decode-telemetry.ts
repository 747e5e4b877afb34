import { decodeTelemetryReference } from './decode-reference';
import type { AuthenticatedDevice, Generation } from './iot-hub-identity';
import { scanTelemetry } from './scan-telemetry';
import { MAX_EVENT_BYTES, type Telemetry } from './telemetry';

export interface DecodedTelemetry {
  telemetry: Telemetry;
  /** `timestamp` in epoch milliseconds: the ordering key of the merge rule. */
  time: number;
  /** IoT Hub mode: the device generation the event came from (see Generation). */
  generation?: Generation;
}

/** The body as the trigger delivered it: raw bytes (preferred), a string, or an already-parsed value. */
export type EventBody = Uint8Array | ArrayBuffer | string | unknown;

export { bodySize } from './decode-reference';

function bytesOf(body: EventBody): Buffer | undefined {
  if (body instanceof Uint8Array) return Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  return undefined;
}

/**
 * Decodes and validates one event body. Throws PipelineError with EVENT_OVERSIZE, EVENT_ENCODING,
 * EVENT_MALFORMED or EVENT_INVALID; never anything else, whatever the input.
 *
 * With `device` (IoT Hub identity mode) the authenticated id is the device id: the body may omit
 * `deviceId`; one that names another device throws DeviceSpoofedError (EVENT_DEVICE_SPOOFED).
 *
 * Bodies in the plain JSON devices write are read in one pass over their bytes (scanTelemetry);
 * everything else, every error included, goes the reference way (decodeTelemetryReference), with
 * the same result: scan-telemetry.spec.ts.
 */
export function decodeTelemetry(body: EventBody, device?: AuthenticatedDevice): DecodedTelemetry {
  const bytes = bytesOf(body);
  if (bytes !== undefined && bytes.byteLength <= MAX_EVENT_BYTES) {
    const scanned = scanTelemetry(bytes, device?.deviceId);
    if (scanned) {
      if (device?.generation) scanned.generation = device.generation;
      return scanned;
    }
  }
  return decodeTelemetryReference(body, device);
}
