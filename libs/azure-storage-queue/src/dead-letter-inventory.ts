import type { QueueClient } from '@azure/storage-queue';
import { expires } from './dead-letter-stats-source';
import { matchesQuery, tryDecodeLetter, type CountsByCode, type ParkedCount, type ParkedQuery, type ParkingStore } from '@telemetry/reprocessing';

/** Azure Queue storage's peek limit: the only look at a queue that does not disturb its consumers. */
export const PEEK_LIMIT = 32;

export interface QueueDepth {
  queue: string;
  /** Every message, visible or not (scheduled retries and deferrals included): approximate, per the service. */
  approximateCount: number;
  /** How many visible messages were peeked (at most 32) for the by-code sample. */
  sampled: number;
  sampleByCode: CountsByCode;
  /** Insertion time of the first visible message (the oldest waiting), when any. */
  oldestInsertedAt: string | null;
  /** Copies in the peeked head that share an id with an earlier letter (listed and counted once). */
  duplicates: number;
  /** Messages in the peeked head that will expire (not TTL -1): the host's poison copies (7 days). */
  expiring: number;
}

export interface PendingLetter {
  messageId: string;
  insertedOn: string | null;
  dequeueCount: number;
  id: string | null;
  code: string;
  deviceId: string | null;
  failedAt: string | null;
  attempts: number;
  redriveCount: number;
  /** When the service will drop it; null when it never expires (TTL -1). */
  expiresOn: string | null;
  /** Further copies of this letter (same id) in the peeked head, not listed separately. */
  copies: number;
}

export interface DeadLetterStats {
  pending: QueueDepth;
  poison: QueueDepth;
  /** `<queue>-poison-poison`: poison copies the poison handler failed on (re-homed by rehomePoisonCopies). */
  poisonPoison: QueueDepth;
  parked: { total: number; byCode: ParkedCount[] };
}

const isNotFound = (e: unknown): boolean => (e as { statusCode?: number }).statusCode === 404;

/** The visible head of a queue (peek: no dequeue count, no invisibility), decoded. */
export async function peekPending(queue: QueueClient, query: ParkedQuery = {}): Promise<PendingLetter[]> {
  let items;
  try {
    items = (await queue.peekMessages({ numberOfMessages: PEEK_LIMIT })).peekedMessageItems;
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
  const out: PendingLetter[] = [];
  const byId = new Map<string, PendingLetter>();
  for (const m of items) {
    const letter = tryDecodeLetter(Buffer.from(m.messageText, 'base64').toString('utf8'));
    const earlier = letter ? byId.get(letter.id) : undefined;
    if (earlier) {
      earlier.copies++; // the same letter twice (a retried write): one letter
      continue;
    }
    const entry: PendingLetter = {
      messageId: m.messageId,
      insertedOn: m.insertedOn?.toISOString() ?? null,
      dequeueCount: m.dequeueCount,
      id: letter?.id ?? null,
      code: letter?.issue.code ?? 'UNKNOWN',
      deviceId: letter?.deviceId ?? null,
      failedAt: letter?.failedAt ?? null,
      attempts: letter?.reprocess?.attempts ?? 0,
      redriveCount: letter?.redrive?.count ?? 0,
      expiresOn: m.expiresOn && expires(m.expiresOn) ? m.expiresOn.toISOString() : null,
      copies: 0,
    };
    if (letter) byId.set(letter.id, entry);
    if (matchesQuery({ code: entry.code, deviceId: entry.deviceId, failedAt: entry.failedAt ?? entry.insertedOn ?? '' }, query)) out.push(entry);
  }
  return query.limit !== undefined ? out.slice(0, query.limit) : out;
}

export async function queueDepth(queue: QueueClient): Promise<QueueDepth> {
  let approximateCount = 0;
  try {
    approximateCount = (await queue.getProperties()).approximateMessagesCount ?? 0;
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  const head = approximateCount > 0 ? await peekPending(queue) : [];
  const sampleByCode: CountsByCode = {};
  for (const p of head) sampleByCode[p.code] = (sampleByCode[p.code] ?? 0) + 1;
  const oldest = head.map((p) => p.insertedOn).filter((t): t is string => t !== null).sort()[0] ?? null;
  return {
    queue: queue.name, approximateCount, sampled: head.length, sampleByCode, oldestInsertedAt: oldest,
    duplicates: head.reduce((n, p) => n + p.copies, 0),
    expiring: head.reduce((n, p) => n + (p.expiresOn !== null ? 1 + p.copies : 0), 0),
  };
}

/** Still pending (the queue, its poison queue and that one's) and parked, by code: what `stats` shows. */
export async function deadLetterStats(sources: { deadLetterQueue: QueueClient; poisonQueue: QueueClient; poisonPoisonQueue: QueueClient; parking: ParkingStore }): Promise<DeadLetterStats> {
  const [pending, poison, poisonPoison, byCode] = await Promise.all([
    queueDepth(sources.deadLetterQueue),
    queueDepth(sources.poisonQueue),
    queueDepth(sources.poisonPoisonQueue),
    sources.parking.countByCode(),
  ]);
  return { pending, poison, poisonPoison, parked: { total: byCode.reduce((n, c) => n + c.count, 0), byCode } };
}
