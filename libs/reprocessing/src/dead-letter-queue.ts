import type { DeadLetter } from '@telemetry/contracts';

/** The dead-letter queue as the reprocessor and the operator tools use it. */
export interface DeadLetterQueue {
  /**
   * Puts a letter (back) on the queue, visible after `delaySeconds`: the reprocessor's retries and
   * breaker deferrals, and operators' redrives. A letter too big for a message is claim-checked.
   */
  enqueue(letter: DeadLetter, options?: { delaySeconds?: number }): Promise<void>;
  /** The full letter behind a claim-check summary (other letters unchanged). */
  resolve(letter: DeadLetter): Promise<DeadLetter>;
}
