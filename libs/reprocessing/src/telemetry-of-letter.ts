import { PipelineError } from '@telemetry/core';
import { originalBody } from '@telemetry/dead-letter';
import { type DeadLetter } from '@telemetry/contracts';
import {
  checkDeviceClock,
  decodeTelemetry,
  DEFAULT_MAX_CLOCK_SKEW_SECONDS,
  type DeviceClockLimits,
  iotHubTelemetrySchema,
  telemetrySchema,
  type AuthenticatedDevice,
  type DecodedTelemetry,
} from '@telemetry/device-state';

/**
 * The telemetry to re-apply. The letter's `decoded` is used when present, validated again (it
 * travelled through a queue an operator can write to); otherwise the original body is decoded
 * again, exactly as ingestion does. Then the device-clock rule, as in ingestion, against the
 * letter's own enqueued time (never the time of reprocessing, which would admit a timestamp as
 * far ahead as the letter waited); a letter without one is measured against `failedAt`, when
 * ingestion first failed it, itself after the enqueue. Both are written by whoever wrote the
 * queue message, so neither may lie about the future: the reference is never later than `now`
 * (the time of reprocessing). A forged letter claiming year 2099 for its enqueue and its event
 * would otherwise pass the check and freeze the device's state (no honest event could ever
 * supersede it). Throws PipelineError with the decode/validate code (EVENT_CLOCK_SKEW for the clock).
 */
export function telemetryOfLetter(letter: DeadLetter, clockLimits: number | DeviceClockLimits = DEFAULT_MAX_CLOCK_SKEW_SECONDS, now: number = Date.now()): DecodedTelemetry {
  const decoded = decodeLetter(letter);
  const enqueuedAt = Date.parse(letter.enqueuedTimeUtc);
  const claimed = Number.isFinite(enqueuedAt) ? enqueuedAt : Date.parse(letter.failedAt);
  checkDeviceClock(decoded, Number.isFinite(claimed) ? Math.min(claimed, now) : now, clockLimits);
  return decoded;
}

/**
 * IoT Hub mode letters (`identity` set by ingestion) are re-applied under the device IoT Hub
 * authenticated and its generation, exactly as ingestion would have; the body's claim never counts.
 */
function deviceOfLetter(letter: DeadLetter): AuthenticatedDevice | undefined {
  const identity = letter.identity;
  if (!identity) return undefined;
  const deviceId = identity.authenticatedDeviceId;
  if (deviceId === null) throw new PipelineError('EVENT_IDENTITY_MISSING', `dead letter ${letter.id} has no authenticated device`, { stage: 'reprocess' });
  if (identity.authGenerationId === null) return { deviceId };
  const at = Date.parse(identity.enqueuedTime ?? letter.enqueuedTimeUtc);
  return { deviceId, generation: { id: identity.authGenerationId, at: Number.isFinite(at) ? at : 0 } };
}

function decodeLetter(letter: DeadLetter): DecodedTelemetry {
  const device = deviceOfLetter(letter);
  if (letter.decoded && (!device || letter.decoded.deviceId === device.deviceId)) {
    const result = (device ? iotHubTelemetrySchema : telemetrySchema).safeParse(letter.decoded);
    const time = result.success ? Date.parse(result.data.timestamp) : NaN;
    if (result.success && Number.isFinite(time)) return device?.generation ? { telemetry: result.data, time, generation: device.generation } : { telemetry: result.data, time };
  }
  if (letter.body === null) throw new PipelineError('UNKNOWN', `dead letter ${letter.id} has no body to decode`, { stage: 'reprocess', retryable: false });
  return decodeTelemetry(originalBody(letter), device);
}
