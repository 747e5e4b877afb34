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
  const attempts = (letter.reprocess?.attempts ?? 0) + 1;
  const errorClass = error.retryable ? classifyIssue(error.code) : 'permanent';
  if (errorClass === 'permanent') return { action: 'park', attempts, reason: `${error.code}: ${error.message}` };
  const unknown = errorClass === 'unknown' || classifyIssue(letter.issue.code) === 'unknown';
  const budget = unknown ? policy.unknownMaxAttempts : policy.maxAttempts;
  if (attempts >= budget) {
    return { action: 'park', attempts, reason: `retries exhausted after ${attempts} attempts; last error ${error.code}: ${error.message}` };
  }
  return { action: 'retry', attempts, delaySeconds: retryDelaySeconds(attempts, policy, random) };
}
