import type { QueueClient, QueueServiceClient } from '@azure/storage-queue';
import { decodeDeadLetter, letterQueueNames, type DeadLetterQueueSample } from '@telemetry/contracts';

/** Azure Queue storage returns at most 32 messages per peek. */
export const MAX_PEEK = 32;

/** A message that never expires has expiresOn at the service's maximum (9999-12-31). */
export const expires = (expiresOn: Date | undefined): boolean => expiresOn !== undefined && expiresOn.getUTCFullYear() < 9000;

/**
 * Dead-letter queue depth and counts by issue code. A queue can only be peeked at its front, 32
 * messages at a time, without receiving (which would hide messages from the reprocessor): so
 * the breakdown is a sample of the oldest letters, labelled as such. Copies sharing a letter id
 * count once; the poison queues (`-poison`, `-poison-poison`) are sampled too, when given.
 */
export class DeadLetterStatsSource {
  constructor(
    private readonly queue: QueueClient,
    private readonly sampleSize = MAX_PEEK,
    private readonly poisonQueues: QueueClient[] = [],
  ) {}

  /** The dead-letter queue `name` with its -poison and -poison-poison queues. */
  static forQueue(queues: QueueServiceClient, name: string, sampleSize = MAX_PEEK): DeadLetterStatsSource {
    const names = letterQueueNames(name);
    return new DeadLetterStatsSource(queues.getQueueClient(names.pending), sampleSize, [queues.getQueueClient(names.poison), queues.getQueueClient(names.poisonPoison)]);
  }

  async read(signal?: AbortSignal): Promise<DeadLetterQueueSample> {
    const [main, ...poison] = await Promise.all([this.queue, ...this.poisonQueues].map((q) => this.sample(q, signal)));
    return this.poisonQueues.length > 0 ? { ...main!, poisonQueues: poison } : main!;
  }

  private async sample(queue: QueueClient, signal?: AbortSignal): Promise<DeadLetterQueueSample> {
    const exists = await queue.exists({ abortSignal: signal });
    if (!exists) return { queue: queue.name, depth: 0, sampled: 0, byCode: {}, oldestFailedAt: null, duplicates: 0, expiring: 0 };
    const [properties, peeked] = await Promise.all([
      queue.getProperties({ abortSignal: signal }),
      queue.peekMessages({ numberOfMessages: Math.min(MAX_PEEK, this.sampleSize), abortSignal: signal }),
    ]);
    const byCode: Record<string, number> = {};
    const ids = new Set<string>();
    let oldest: string | null = null;
    let duplicates = 0;
    let expiring = 0;
    for (const message of peeked.peekedMessageItems) {
      if (expires(message.expiresOn)) expiring++;
      let code = 'UNREADABLE';
      try {
        const letter = decodeDeadLetter(message.messageText);
        if (ids.has(letter.id)) {
          duplicates++; // another copy of a letter already counted (a retried write, a redelivery)
          continue;
        }
        ids.add(letter.id);
        code = letter.issue.code;
        if (oldest === null || letter.failedAt < oldest) oldest = letter.failedAt;
      } catch {
        // Not a telemetry dead letter (a foreign or corrupt message): counted under UNREADABLE.
      }
      byCode[code] = (byCode[code] ?? 0) + 1;
    }
    const sampled = peeked.peekedMessageItems.length;
    return { queue: queue.name, depth: Math.max(properties.approximateMessagesCount ?? 0, sampled), sampled, byCode, oldestFailedAt: oldest, duplicates, expiring };
  }
}
