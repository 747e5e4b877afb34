import type { DeadLetter } from '@telemetry/contracts';
import type { DeadLetterQueue } from '../dead-letter-queue';

/** For unit tests of logic only: records what was enqueued, with its delay. */
export class InMemoryDeadLetterQueue implements DeadLetterQueue {
  readonly enqueued: { letter: DeadLetter; delaySeconds: number }[] = [];
  /** Full letters behind claim checks, by blob name. */
  readonly blobs = new Map<string, DeadLetter>();

  async enqueue(letter: DeadLetter, options: { delaySeconds?: number } = {}): Promise<void> {
    this.enqueued.push({ letter: structuredClone(letter), delaySeconds: options.delaySeconds ?? 0 });
  }
  async resolve(letter: DeadLetter): Promise<DeadLetter> {
    if (!letter.claimCheck) return letter;
    const full = this.blobs.get(letter.claimCheck.blobName);
    if (!full) throw Object.assign(new Error(`blob ${letter.claimCheck.blobName} not found`), { statusCode: 404 });
    return { ...full, ...(letter.reprocess ? { reprocess: letter.reprocess } : {}) };
  }
  /** Takes the next enqueued letter (what the trigger would deliver next). */
  take(): DeadLetter | undefined {
    return this.enqueued.shift()?.letter;
  }
}
