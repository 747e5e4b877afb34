import type { QueueClient } from '@azure/storage-queue';
import { decodeDeadLetter, type DeadLetterQueueSample } from '@telemetry/contracts';

/** Azure Queue storage returns at most 32 messages per peek. */
export const MAX_PEEK = 32;

/**
 * Dead-letter queue depth and counts by issue code. A queue can only be peeked at its front, 32
 * messages at a time, without receiving (which would hide messages from the reprocessor): so
 * the breakdown is a sample of the oldest letters, labelled as such.
 */
export class DeadLetterStatsSource {
  constructor(
    private readonly queue: QueueClient,
    private readonly sampleSize = MAX_PEEK,
  ) {}

  async read(signal?: AbortSignal): Promise<DeadLetterQueueSample> {
    const exists = await this.queue.exists({ abortSignal: signal });
    if (!exists) return { queue: this.queue.name, depth: 0, sampled: 0, byCode: {}, oldestFailedAt: null };
    const [properties, peeked] = await Promise.all([
      this.queue.getProperties({ abortSignal: signal }),
      this.queue.peekMessages({ numberOfMessages: Math.min(MAX_PEEK, this.sampleSize), abortSignal: signal }),
    ]);
    const byCode: Record<string, number> = {};
    let oldest: string | null = null;
    for (const message of peeked.peekedMessageItems) {
      let code = 'UNREADABLE';
      try {
        const letter = decodeDeadLetter(message.messageText);
        code = letter.issue.code;
        if (oldest === null || letter.failedAt < oldest) oldest = letter.failedAt;
      } catch {
        // Not a telemetry dead letter (a foreign or corrupt message): counted under UNREADABLE.
      }
      byCode[code] = (byCode[code] ?? 0) + 1;
    }
    const sampled = peeked.peekedMessageItems.length;
    return { queue: this.queue.name, depth: Math.max(properties.approximateMessagesCount ?? 0, sampled), sampled, byCode, oldestFailedAt: oldest };
  }
}
