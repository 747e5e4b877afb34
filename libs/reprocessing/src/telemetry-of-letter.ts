import { PipelineError } from '@telemetry/core';
import { originalBody } from '@telemetry/dead-letter';
import { type DeadLetter } from '@telemetry/contracts';
import { decodeTelemetry, telemetrySchema, type DecodedTelemetry } from '@telemetry/device-state';

/**
 * The telemetry to re-apply. The letter's `decoded` is used when present, validated again (it
 * travelled through a queue an operator can write to); otherwise the original body is decoded
 * again, exactly as ingestion does. Throws PipelineError with the decode/validate code.
 */
export function telemetryOfLetter(letter: DeadLetter): DecodedTelemetry {
  if (letter.decoded) {
    const result = telemetrySchema.safeParse(letter.decoded);
    const time = result.success ? Date.parse(result.data.timestamp) : NaN;
    if (result.success && Number.isFinite(time)) return { telemetry: result.data, time };
  }
  if (letter.body === null) throw new PipelineError('UNKNOWN', `dead letter ${letter.id} has no body to decode`, { stage: 'reprocess', retryable: false });
  return decodeTelemetry(originalBody(letter));
}
