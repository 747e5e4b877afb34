import type { QueueClient } from '@azure/storage-queue';
import { expires } from './dead-letter-stats-source';

export interface RehomeResult {
  /** Handed to `park` and deleted from the queue. */
  parked: number;
  /** Could not be parked and would have expired: sent again with TTL -1, the expiring copy deleted. */
  rehomed: number;
  /** Could not be parked; already never expiring: left in place. */
  kept: number;
}

/**
 * The message as the queue trigger would hand it over: base64 decoded, as the host's client
 * decodes it. Text that is not base64 (the host copies such a message to `-poison` as it came,
 * MessageDecodingFailed) is given as it is, not decoded leniently into garbage.
 */
function triggerText(messageText: string): string {
  const compact = messageText.replace(/[ \t\r\n]/g, '');
  return compact.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(compact) ? Buffer.from(compact, 'base64').toString('utf8') : messageText;
}

/**
 * Sweeps a poison queue: `<queue>-poison`, where a copy the poison handler failed on stays (the host
 * gives a `*-poison` queue no poison queue of its own), and `<queue>-poison-poison`, which Azure's
 * host never fills (earlier local hosts did). Each message is offered to `park` (the poison handler's
 * logic, with the message text as the trigger would deliver it); what still cannot be parked stays,
 * but never with an expiry. The host copies messages to a poison queue with the service's default
 * TTL (7 days: azure-webjobs-sdk QueueProcessor.CopyMessageToPoisonQueueAsync sets none), so
 * without this a letter would vanish a week after its second failure, unnoticed.
 */
export async function rehomePoisonCopies(queue: QueueClient, park: (messageText: string) => Promise<unknown>, options: { holdSeconds?: number } = {}): Promise<RehomeResult> {
  const result: RehomeResult = { parked: 0, rehomed: 0, kept: 0 };
  const held: { messageId: string; popReceipt: string }[] = [];
  const seen = new Set<string>();
  try {
    for (;;) {
      let items;
      try {
        items = (await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: options.holdSeconds ?? 300 })).receivedMessageItems;
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return result; // no such queue: nothing ever failed twice
        throw error;
      }
      const fresh = items.filter((m) => !seen.has(m.messageId));
      // A copy this scan re-sent comes round again: released untouched at the end.
      for (const m of items) if (seen.has(m.messageId)) held.push({ messageId: m.messageId, popReceipt: m.popReceipt });
      if (fresh.length === 0) return result;
      for (const m of fresh) {
        seen.add(m.messageId);
        let parked = false;
        try {
          await park(triggerText(m.messageText));
          parked = true;
        } catch {
          // Parking still fails: keep the message, never expiring.
        }
        if (parked) {
          await queue.deleteMessage(m.messageId, m.popReceipt);
          result.parked++;
        } else if (expires(m.expiresOn)) {
          const copy = await queue.sendMessage(m.messageText, { messageTimeToLive: -1 });
          seen.add(copy.messageId); // this scan has just tried it
          await queue.deleteMessage(m.messageId, m.popReceipt);
          result.rehomed++;
        } else {
          held.push({ messageId: m.messageId, popReceipt: m.popReceipt });
          result.kept++;
        }
      }
    }
  } finally {
    await Promise.allSettled(held.map((h) => queue.updateMessage(h.messageId, h.popReceipt, undefined, 0)));
  }
}
