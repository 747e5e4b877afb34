import { isIssueCode, type IssueCode } from '@telemetry/core';

/** How the reprocessor treats a dead letter's issue code. */
export type IssueClass = 'retryable' | 'permanent' | 'unknown';

// Explicit rather than derived from ISSUE_CODES[code].retryable: UNKNOWN is marked retryable
// there, but here it gets its own, shorter budget; a new code must be classified on purpose.
const CLASSES: Record<IssueCode, IssueClass> = {
  STORE_UNAVAILABLE: 'retryable',
  STORE_THROTTLED: 'retryable',
  STORE_TIMEOUT: 'retryable',
  STORE_CONFLICT: 'retryable',
  DEAD_LETTER_UNAVAILABLE: 'retryable',
  // Fails an invocation, never a letter; were one to carry it, replaying it is safe.
  WRITE_BEHIND_BLOCKED: 'retryable',
  EVENT_OVERSIZE: 'permanent',
  EVENT_ENCODING: 'permanent',
  EVENT_MALFORMED: 'permanent',
  EVENT_INVALID: 'permanent',
  EVENT_CLOCK_SKEW: 'permanent',
  EVENT_IDENTITY_MISSING: 'permanent',
  EVENT_DEVICE_SPOOFED: 'permanent',
  EVENT_NOT_TELEMETRY: 'permanent',
  EVENT_FROM_MODULE: 'permanent',
  STORE_REJECTED: 'permanent',
  CLAIM_CHECK_INVALID: 'permanent',
  UNKNOWN: 'unknown',
};

/** Any string not in the closed set (a newer producer, a hand-written message) is `unknown`. */
export function classifyIssue(code: string): IssueClass {
  return isIssueCode(code) ? CLASSES[code] : 'unknown';
}
