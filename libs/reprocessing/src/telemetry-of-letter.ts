import { PipelineError } from '@telemetry/core';
import { originalBody } from '@telemetry/dead-letter';
import { type DeadLetter } from '@telemetry/contracts';
import { checkDeviceClock, decodeTelemetry, DEFAULT_MAX_CLOCK_SKEW_SECONDS, telemetrySchema, type DecodedTelemetry } from '@telemetry/device-state';

/**
 * The telemetry to re-apply. The letter's `decoded` is used when present, validated again (it
 * travelled through a queue an operator can write to); otherwise the original body is decoded
 * again, exactly as ingestion does. Then the device-clock rule, as in ingestion, against the
 * letter's own enqueued time (never the time of reprocessing, which would admit a timestamp as
 * far ahead as the letter waited); a letter without one is measured against `failedAt`, when
 * ingestion first failed it, itself after the enqueue. Throws PipelineError with the
 * decode/validate code (EVENT_CLOCK_SKEW for the clock).
 */
export function telemetryOfLetter(letter: DeadLetter, maxClockSkewSeconds = DEFAULT_MAX_CLOCK_SKEW_SECONDS): DecodedTelemetry {
  const decoded = decodeLetter(letter);
  const enqueuedAt = Date.parse(letter.enqueuedTimeUtc);
  checkDeviceClock(decoded, Number.isFinite(enqueuedAt) ? enqueuedAt : Date.parse(letter.failedAt), maxClockSkewSeconds);
  return decoded;
}

function decodeLetter(letter: DeadLetter): DecodedTelemetry {
  if (letter.decoded) {
    const result = telemetrySchema.safeParse(letter.decoded);
    const time = result.success ? Date.parse(result.data.timestamp) : NaN;
    if (result.success && Number.isFinite(time)) return { telemetry: result.data, time };
  }
  if (letter.body === null) throw new PipelineError('UNKNOWN', `dead letter ${letter.id} has no body to decode`, { stage: 'reprocess', retryable: false });
  return decodeTelemetry(originalBody(letter));
}
