import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import type { DeadLetter } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import { decideAfterFailure } from './reprocess-decision';
import type { ReprocessPolicy } from './reprocess-policy';
import { deadLetterFor } from './testing';

const policy: ReprocessPolicy = { maxAttempts: 5, unknownMaxAttempts: 3, backoffBaseSeconds: 10, backoffMaxSeconds: 60, breakerDeferSeconds: 45 };
const storeDown = new PipelineError('STORE_UNAVAILABLE', 'store down');

/** A letter whose `reprocess.attempts` holds whatever a queue writer put there. */
const withAttempts = (attempts: unknown): DeadLetter => ({
  ...deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(1, 10, { battery: 0.5 })),
  reprocess: { attempts, lastCode: 'STORE_UNAVAILABLE', lastError: 'store down', lastAttemptAt: '2026-11-21T22:00:00.000Z' } as unknown as NonNullable<DeadLetter['reprocess']>,
});

/**
 * Fails the letter again and again as the reprocessor does (each retry re-enqueues the letter with
 * the decision's count) and returns how many failures it took to park, or Infinity past `limit`.
 */
function failuresUntilParked(letter: DeadLetter, limit = 100): number {
  let current = letter;
  for (let failures = 1; failures <= limit; failures++) {
    const decision = decideAfterFailure(current, storeDown, policy, () => 0.5);
    if (decision.action === 'park') return failures;
    expect(Number.isSafeInteger(decision.attempts)).toBe(true);
    current = { ...current, reprocess: { attempts: decision.attempts, lastCode: 'STORE_UNAVAILABLE', lastError: 'store down', lastAttemptAt: '2026-11-21T22:00:00.000Z' } };
  }
  return Infinity;
}

describe('decideAfterFailure: the retry budget', () => {
  it('an honest letter is retried until the budget is spent, then parked', () => {
    expect(failuresUntilParked(deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(1, 10, { battery: 0.5 })))).toBe(policy.maxAttempts);
    expect(failuresUntilParked(withAttempts(2))).toBe(policy.maxAttempts - 2);
  });

  // A queue message is untrusted: its attempt count must not buy retries beyond the policy's.
  it.each([[-1e9], ['-9'], [-1], [1.5], [null], [Number.MAX_SAFE_INTEGER + 2], [{ valueOf: 0 }], [[]]])('a tampered count %p parks at the next failure, with a safe count', (attempts) => {
    const decision = decideAfterFailure(withAttempts(attempts), storeDown, policy, () => 0.5);
    expect(decision).toMatchObject({ action: 'park', attempts: policy.maxAttempts });
    expect(decision.action === 'park' && decision.reason).toMatch(/^retries exhausted after 5 attempts/);
  });

  it('whatever the count a letter carries, it parks within the policy budget', () => {
    fc.assert(
      fc.property(fc.oneof(fc.anything(), fc.integer(), fc.double(), fc.string()), (attempts) => {
        expect(failuresUntilParked(withAttempts(attempts))).toBeLessThanOrEqual(policy.maxAttempts);
      }),
    );
  });
});
