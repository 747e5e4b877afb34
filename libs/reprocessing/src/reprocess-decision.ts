import type { PipelineError } from '@telemetry/core';
import type { DeadLetter } from '@telemetry/contracts';
import { classifyIssue } from './issue-class';
import { retryDelaySeconds, type ReprocessPolicy } from './reprocess-policy';

/** What to do with a letter before touching the store. */
export type Route = { action: 'park'; reason: string } | { action: 'apply' };

/** What to do after an attempt failed. */
export type FailureDecision =
  | { action: 'retry'; attempts: number; delaySeconds: number }
  | { action: 'park'; attempts: number; reason: string };

/**
 * The routing rule by issue code. Permanent problems (malformed, invalid, oversize, rejected) are
 * parked for an operator, unless an operator redrove the letter (having fixed the cause, or
 * corrected the body): then it is tried again. Retryable and unknown codes are applied.
 */
export function routeLetter(letter: DeadLetter): Route {
  if (classifyIssue(letter.issue.code) === 'permanent' && !letter.redrive) {
    return { action: 'park', reason: `${letter.issue.code}: ${letter.issue.message}` };
  }
  return { action: 'apply' };
}

/**
 * After a failed attempt: a permanent error parks at once; otherwise retry with backoff until the
 * budget of the letter's class is spent (the shorter unknown budget when either the letter's code
 * or this failure is unknown), then park with the last error as the reason.
 */
export function decideAfterFailure(
  letter: DeadLetter,
  error: PipelineError,
  policy: ReprocessPolicy,
  random: () => number = Math.random,
): FailureDecision {
  const errorClass = error.retryable ? classifyIssue(error.code) : 'permanent';
  const unknown = errorClass === 'unknown' || classifyIssue(letter.issue.code) === 'unknown';
  const budget = unknown ? policy.unknownMaxAttempts : policy.maxAttempts;
  const attempts = priorAttempts(letter, budget) + 1;
  if (errorClass === 'permanent') return { action: 'park', attempts, reason: `${error.code}: ${error.message}` };
  if (attempts >= budget) {
    return { action: 'park', attempts, reason: `retries exhausted after ${attempts} attempts; last error ${error.code}: ${error.message}` };
  }
  return { action: 'retry', attempts, delaySeconds: retryDelaySeconds(attempts, policy, random) };
}

/**
 * The attempts the letter has used so far. The count travels in the queue message, which anyone
 * with write access to the queue can craft (`-1e9`, `"-9"`, `1.5`, `null`): a value that is not a
 * non-negative safe integer is tampered, and counts as the budget spent but for this attempt
 * (`budget - 1`), so this failure parks the letter. Tampering can never buy an extra retry; a
 * zero or negative budget still parks at once (`attempts >= budget`).
 */
function priorAttempts(letter: DeadLetter, budget: number): number {
  const recorded = recordedAttempts(letter);
  if (recorded !== 'tampered') return recorded;
  return Math.max(0, budget - 1);
}

/**
 * The attempt count a letter carries (0 when it has none), or `tampered` when it is not a
 * non-negative safe integer: the queue message is anyone's to write.
 */
export function recordedAttempts(letter: DeadLetter): number | 'tampered' {
  const value: unknown = (letter.reprocess as { attempts?: unknown } | null | undefined)?.attempts;
  if (value === undefined) return 0;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0 ? value : 'tampered';
}
