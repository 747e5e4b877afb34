import { PipelineError } from '@telemetry/core';
import type { DecodedTelemetry, EventBody } from './decode-telemetry';
import { epochMillis } from './epoch-millis';
import { DeviceSpoofedError, type AuthenticatedDevice } from './iot-hub-identity';
import { iotHubTelemetrySchema, MAX_EVENT_BYTES, telemetrySchema, type Telemetry } from './telemetry';
import { telemetryFastPath } from './telemetry-fast-path';
import { utf8Text } from './utf8-text';

function toBytesOrText(body: EventBody): Uint8Array | string | undefined {
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (typeof body === 'string') return body;
  return undefined;
}

/** Size in bytes of the body as it travelled (UTF-8 for strings; JSON for pre-parsed values). */
export function bodySize(body: EventBody): number {
  const raw = toBytesOrText(body);
  if (raw instanceof Uint8Array) return raw.byteLength;
  if (typeof raw === 'string') return Buffer.byteLength(raw, 'utf8');
  try {
    return Buffer.byteLength(JSON.stringify(body) ?? '', 'utf8');
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new PipelineError('EVENT_MALFORMED', `body is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/**
 * decodeTelemetry the reference way, for every body: strict UTF-8, JSON.parse, then the fast
 * validator or the schema, which words every error. decodeTelemetry hands it what its scanner
 * does not read; scan-telemetry.spec.ts checks the two agree on everything, errors included.
 */
export function decodeTelemetryReference(body: EventBody, device?: AuthenticatedDevice): DecodedTelemetry {
  const raw = toBytesOrText(body);
  let value: unknown;
  if (raw === undefined) {
    if (bodySize(body) > MAX_EVENT_BYTES) throw new PipelineError('EVENT_OVERSIZE', `event exceeds ${MAX_EVENT_BYTES} bytes`);
    value = body;
  } else {
    const size = raw instanceof Uint8Array ? raw.byteLength : Buffer.byteLength(raw, 'utf8');
    if (size > MAX_EVENT_BYTES) {
      throw new PipelineError('EVENT_OVERSIZE', `event is ${size} bytes; the limit is ${MAX_EVENT_BYTES}`);
    }
    value = parseJson(raw instanceof Uint8Array ? utf8Text(raw) : raw);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new PipelineError('EVENT_MALFORMED', `body must be a JSON object, got ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}`);
  }
  const telemetry = device ? authenticatedTelemetry(value as Record<string, unknown>, device.deviceId) : (telemetryFastPath(value) ?? validateWithSchema(value));
  const time = epochMillis(telemetry.timestamp);
  if (!Number.isFinite(time)) throw new PipelineError('EVENT_INVALID', 'telemetry schema violation: timestamp: not a calendar date');
  return device?.generation ? { telemetry, time, generation: device.generation } : { telemetry, time };
}

function authenticatedTelemetry(value: Record<string, unknown>, deviceId: string): Telemetry {
  const claimed = value['deviceId'];
  if (typeof claimed === 'string' && claimed !== deviceId) throw new DeviceSpoofedError(deviceId, claimed);
  if (claimed !== undefined && typeof claimed !== 'string') throw new PipelineError('EVENT_INVALID', 'telemetry schema violation: deviceId: must be a string when present');
  return telemetryFastPath(value, deviceId) ?? validateWithSchema({ ...value, deviceId }, iotHubTelemetrySchema);
}

/** The schema itself: the verdict for what the fast path turned down, and the messages. */
function validateWithSchema(value: object, schema: typeof telemetrySchema = telemetrySchema): Telemetry {
  const result = schema.safeParse(value);
  if (!result.success) {
    const detail = result.error.issues
      .slice(0, 5)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new PipelineError('EVENT_INVALID', `telemetry schema violation: ${detail}`);
  }
  return result.data;
}
