import type { Stage } from './issue-code';
import { PipelineError } from './pipeline-error';

interface ErrorLike {
  code?: unknown;
  statusCode?: unknown;
  status?: unknown;
  name?: unknown;
  message?: unknown;
  retryAfterInMs?: unknown;
  retryAfterInMilliseconds?: unknown;
  headers?: unknown;
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH',
  'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'REQUEST_SEND_ERROR', 'ServiceUnavailable',
]);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ESOCKETTIMEDOUT', 'TimeoutError', 'UND_ERR_HEADERS_TIMEOUT']);

function retryAfterOf(e: ErrorLike): number | undefined {
  for (const v of [e.retryAfterInMs, e.retryAfterInMilliseconds]) {
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  const headers = e.headers as Record<string, unknown> | undefined;
  const raw = headers?.['x-ms-retry-after-ms'] ?? headers?.['retry-after-ms'];
  const ms = typeof raw === 'string' || typeof raw === 'number' ? Number(raw) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * Normalises anything thrown at a store or queue boundary into a PipelineError.
 * Every `catch` in the product goes through here so that codes stay a closed set.
 */
export function toPipelineError(error: unknown, stage: Stage = 'unknown'): PipelineError {
  if (error instanceof PipelineError) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as ErrorLike;
  const message = typeof e.message === 'string' ? e.message : String(error);
  // Cosmos errors carry the HTTP status as a numeric `code`; storage errors as `statusCode`.
  const status = Number(e.statusCode ?? e.status ?? (typeof e.code === 'number' ? e.code : NaN));
  const code = typeof e.code === 'string' ? e.code : typeof e.code === 'number' ? String(e.code) : '';
  const name = typeof e.name === 'string' ? e.name : '';
  const isStore = stage === 'store' || stage === 'reprocess';
  const storeOr = (c: 'STORE_UNAVAILABLE' | 'STORE_TIMEOUT'): 'STORE_UNAVAILABLE' | 'STORE_TIMEOUT' | 'DEAD_LETTER_UNAVAILABLE' =>
    isStore ? c : stage === 'dead-letter' ? 'DEAD_LETTER_UNAVAILABLE' : c;

  if (status === 429 || code === '429') {
    return new PipelineError(stage === 'dead-letter' ? 'DEAD_LETTER_UNAVAILABLE' : 'STORE_THROTTLED', message, {
      cause: error, stage, retryAfterMs: retryAfterOf(e),
    });
  }
  if (status === 412 || code === '412') return new PipelineError('STORE_CONFLICT', message, { cause: error, stage });
  if (TIMEOUT_CODES.has(code) || name === 'TimeoutError' || status === 408 || /timed? ?out/i.test(message)) {
    return new PipelineError(storeOr('STORE_TIMEOUT'), message, { cause: error, stage });
  }
  if (NETWORK_CODES.has(code) || status >= 500 || name === 'AbortError' || (status === 0 && isStore)) {
    return new PipelineError(storeOr('STORE_UNAVAILABLE'), message, { cause: error, stage });
  }
  if (stage === 'dead-letter') return new PipelineError('DEAD_LETTER_UNAVAILABLE', message, { cause: error, stage });
  if (isStore && [400, 403, 413].includes(status)) {
    return new PipelineError('STORE_REJECTED', message, { cause: error, stage });
  }
  return new PipelineError('UNKNOWN', message, { cause: error, stage });
}
