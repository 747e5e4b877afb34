/** Stable codes for everything the local host can fail with. */
export type LocalHostErrorCode =
  | 'APP_NOT_FOUND'
  | 'APP_LOAD_FAILED'
  | 'SETTING_MISSING'
  | 'SETTINGS_INVALID'
  | 'HOST_JSON_INVALID'
  | 'DUPLICATE_FUNCTION'
  | 'BINDING_FAILED'
  | 'INVOCATION_FAILED'
  | 'SCHEDULE_INVALID'
  | 'FUNCTION_NOT_FOUND'
  | 'ADMIN_REQUEST_FAILED'
  | 'UNKNOWN';

export type LocalHostStage = 'config' | 'load' | 'bind' | 'invoke' | 'trigger' | 'admin';

export class LocalHostError extends Error {
  constructor(
    readonly code: LocalHostErrorCode,
    message: string,
    readonly stage: LocalHostStage,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LocalHostError';
  }
}

/** Normalises anything thrown into an Error (every catch goes through here). */
export function toError(value: unknown): Error {
  if (value instanceof Error) return value;
  return new Error(typeof value === 'string' ? value : JSON.stringify(value));
}

export function errorCode(value: unknown): string {
  return value instanceof LocalHostError ? value.code : 'UNKNOWN';
}
