import type { DeadLetter } from '@telemetry/contracts';

/** Where undeliverable events go. `send` resolves only when every letter is durably stored. */
export interface DeadLetterSink {
  send(letters: DeadLetter[]): Promise<void>;
}
