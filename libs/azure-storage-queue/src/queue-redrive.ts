import type { QueueClient } from '@azure/storage-queue';
import type { DeadLetter } from '@telemetry/contracts';
import { markRedriven, matchesQuery, tryDecodeLetter, type ParkedQuery, type RedriveOptions, type RedriveTarget } from '@telemetry/reprocessing';

export interface QueueRedriveOptions {
  query: ParkedQuery;
  target: RedriveTarget;
  /** Loads the full letter behind a claim check (DeadLetterQueue.resolve). */
  resolve: (letter: DeadLetter) => Promise<DeadLetter>;
  redrive: RedriveOptions;
  /** Further selection (e.g. by letter id), on top of the query. */
  select?: (letter: DeadLetter) => boolean;
  /** How long messages stay invisible while the scan holds them, in seconds. */
  holdSeconds?: number;
  onProgress?: (handled: number) => void;
}

export interface QueueRedriveResult {
  redriven: string[];
  /** Messages left in place (not matching the filter, or not dead letters). */
  skipped: number;
  failed: { id: string; error: string }[];
  /** Further copies of a letter already redriven in this scan (same id): deleted, not sent twice. */
  duplicates: number;
}

/**
 * Moves matching messages of a queue (the dead-letter queue's visible messages, or its poison
 * queue) to a redrive target: received (held invisible), sent, then deleted; the rest are released
 * at the end so the scan sees each message once. Receiving counts as a dequeue for the service.
 */
export async function redriveQueue(source: QueueClient, options: QueueRedriveOptions): Promise<QueueRedriveResult> {
  const result: QueueRedriveResult = { redriven: [], skipped: 0, failed: [], duplicates: 0 };
  const sent = new Set<string>();
  const held: { messageId: string; popReceipt: string }[] = [];
  const seen = new Set<string>();
  const limit = options.query.limit ?? Number.POSITIVE_INFINITY;
  try {
    while (result.redriven.length < limit) {
      const { receivedMessageItems } = await source.receiveMessages({ numberOfMessages: 32, visibilityTimeout: options.holdSeconds ?? 300 });
      const fresh = receivedMessageItems.filter((m) => !seen.has(m.messageId));
      if (fresh.length === 0) break;
      for (const m of fresh) {
        seen.add(m.messageId);
        const letter = tryDecodeLetter(Buffer.from(m.messageText, 'base64').toString('utf8'));
        const wanted = letter && result.redriven.length < limit && matchesQuery({ code: letter.issue.code, deviceId: letter.deviceId, failedAt: letter.failedAt }, options.query) &&
          (options.select?.(letter) ?? true);
        if (!letter || !wanted) {
          held.push({ messageId: m.messageId, popReceipt: m.popReceipt });
          result.skipped++;
          continue;
        }
        if (sent.has(letter.id)) {
          // The same letter again (a retried write): it was sent once; this copy goes.
          await source.deleteMessage(m.messageId, m.popReceipt);
          result.duplicates++;
          continue;
        }
        try {
          await options.target.redrive(markRedriven(await options.resolve(letter), options.redrive));
          await source.deleteMessage(m.messageId, m.popReceipt);
          result.redriven.push(letter.id);
          sent.add(letter.id);
          options.onProgress?.(result.redriven.length);
        } catch (error) {
          held.push({ messageId: m.messageId, popReceipt: m.popReceipt });
          result.failed.push({ id: letter.id, error: error instanceof Error ? error.message : String(error) });
        }
      }
    }
  } finally {
    await Promise.allSettled(held.map((h) => source.updateMessage(h.messageId, h.popReceipt, undefined, 0)));
  }
  return result;
}
