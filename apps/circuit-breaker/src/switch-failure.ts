import { toPipelineError } from '@telemetry/core';

/**
 * How a failed switch call is reported on the status endpoint and in notices: the issue code and,
 * when the service answered, its HTTP status (an ARM 403 means a missing role, a 429 throttling,
 * a 5xx an outage). Never the message: SDK messages can carry endpoints and request ids.
 */
export function switchFailureCode(error: unknown): string {
  const pipelineError = toPipelineError(error);
  const status = httpStatus(error) ?? httpStatus(pipelineError.cause);
  return status ? `${pipelineError.code} (HTTP ${status})` : pipelineError.code;
}

function httpStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { statusCode, status } = error as { statusCode?: unknown; status?: unknown };
  const value = typeof statusCode === 'number' ? statusCode : typeof status === 'number' ? status : undefined;
  return value !== undefined && value >= 100 && value <= 599 ? value : undefined;
}
