/**
 * The closed set of issue codes. Every failure the pipeline records carries one of these;
 * dead letters, logs, metrics and the reprocessor's routing all key on them.
 * Documented in the README ("Issue codes"); extend, never rename.
 */
export const ISSUE_CODES = {
  /** The event body is larger than the telemetry limit (64 KiB). Permanent. */
  EVENT_OVERSIZE: { retryable: false, stage: 'decode' },
  /** The body is not valid UTF-8. Permanent. */
  EVENT_ENCODING: { retryable: false, stage: 'decode' },
  /** The body is not a JSON object (syntax error, array, scalar). Permanent. */
  EVENT_MALFORMED: { retryable: false, stage: 'decode' },
  /** The JSON object violates the telemetry schema (missing/wrong fields, out of range). Permanent. */
  EVENT_INVALID: { retryable: false, stage: 'validate' },
  /**
   * The device clock is wrong: the timestamp is ahead of the enqueued time by more than
   * MAX_CLOCK_SKEW_SECONDS, behind it by more than MAX_EVENT_AGE_SECONDS, or before 2000. Not applied (it would win or lose merges unfairly). Permanent.
   */
  EVENT_CLOCK_SKEW: { retryable: false, stage: 'validate' },
  /**
   * IoT Hub identity mode (DEVICE_IDENTITY_SOURCE=iothub): the event carries no usable
   * `iothub-connection-device-id` (absent, or not an id IoT Hub allows), so nobody vouches for
   * its device. Permanent.
   */
  EVENT_IDENTITY_MISSING: { retryable: false, stage: 'validate' },
  /**
   * IoT Hub identity mode: the body names another device than the one IoT Hub authenticated. A
   * spoofing attempt; never applied. The letter's `identity` holds both ids. Permanent.
   */
  EVENT_DEVICE_SPOOFED: { retryable: false, stage: 'validate' },
  /**
   * IoT Hub identity mode: `iothub-message-source` is not `Telemetry` (twin change, lifecycle,
   * connection state events): never applied as telemetry. Permanent.
   */
  EVENT_NOT_TELEMETRY: { retryable: false, stage: 'validate' },
  /** IoT Hub identity mode: the message came from a module (`iothub-connection-module-id`), not the device itself. Permanent. */
  EVENT_FROM_MODULE: { retryable: false, stage: 'validate' },
  /** The store could not be reached or answered 5xx / 503. Retryable. */
  STORE_UNAVAILABLE: { retryable: true, stage: 'store' },
  /** The store throttled (429) beyond the retry budget. Retryable. */
  STORE_THROTTLED: { retryable: true, stage: 'store' },
  /** A store call timed out. Retryable. */
  STORE_TIMEOUT: { retryable: true, stage: 'store' },
  /** Optimistic concurrency kept failing (412) beyond the retry budget. Retryable. */
  STORE_CONFLICT: { retryable: true, stage: 'store' },
  /** The store refused the write for good (400, 403, 413 entity too large). Permanent. */
  STORE_REJECTED: { retryable: false, stage: 'store' },
  /**
   * The ingestion window's write-behind could not take a batch: its partition watermark or the
   * hub could not be read, or it holds its memory bound of events it cannot write. Retryable: the
   * invocation fails, so the trigger retries the batch and acknowledges nothing.
   */
  WRITE_BEHIND_BLOCKED: { retryable: true, stage: 'store' },
  /** The dead-letter queue or claim-check blob could not be written. Retryable (the batch fails). */
  DEAD_LETTER_UNAVAILABLE: { retryable: true, stage: 'dead-letter' },
  /**
   * A queue message's claim check names a blob the sinks never produce (another container, `../`,
   * another letter's blob): it is not followed; the message is parked with context. Permanent.
   */
  CLAIM_CHECK_INVALID: { retryable: false, stage: 'reprocess' },
  /** Anything not classified above. Retried a bounded number of times, then parked. */
  UNKNOWN: { retryable: true, stage: 'unknown' },
} as const satisfies Record<string, { retryable: boolean; stage: Stage }>;

export type Stage = 'decode' | 'validate' | 'store' | 'dead-letter' | 'reprocess' | 'unknown';
export type IssueCode = keyof typeof ISSUE_CODES;
export const issueCodes = Object.keys(ISSUE_CODES) as IssueCode[];

export function isIssueCode(value: unknown): value is IssueCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ISSUE_CODES, value);
}
