import { PipelineError } from '@telemetry/core';
import type { DeadLetter } from '@telemetry/contracts';
import type { DeadLetterSink } from '../dead-letter-sink';

/** For unit tests of logic only. */
export class InMemoryDeadLetterSink implements DeadLetterSink {
  readonly letters: DeadLetter[] = [];
  down = false;

  async send(letters: DeadLetter[]): Promise<void> {
    if (this.down) throw new PipelineError('DEAD_LETTER_UNAVAILABLE', 'injected');
    this.letters.push(...letters);
  }
}
