import type { HttpResponseInit } from '@azure/functions';
import { toPipelineError } from '@telemetry/core';

const JSON_HEADERS = { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-cache' };

export const json = (status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit => ({
  status,
  jsonBody: body,
  headers: { ...JSON_HEADERS, ...headers },
});

export const badRequest = (errors: string[]): HttpResponseInit => json(400, { error: 'INVALID_PARAMETERS', message: errors.join('; '), errors });

/**
 * A store failure as the API reports it: 503 with the issue code for anything retryable (the
 * dashboard shows its error state and polls again), 502 otherwise. The message stays generic:
 * SDK messages can carry endpoints and request ids.
 */
export function storeFailure(error: unknown): HttpResponseInit {
  const e = toPipelineError(error, 'store');
  return e.retryable
    ? json(503, { error: e.code, message: 'the device store is unavailable; retry shortly' }, { 'retry-after': '5' })
    : json(502, { error: e.code, message: 'the device store refused the request' });
}
