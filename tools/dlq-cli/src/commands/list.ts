import { PEEK_LIMIT, peekPending, type PendingLetter } from '@telemetry/azure-storage-queue';
import { type ParkedSummary } from '@telemetry/reprocessing';
import type { CliIo } from '../io';
import type { DlqTarget } from '../target';
import { jsonText, shown } from '../terminal-text';
import { ageOf } from '../time-filter';
import { toQuery, type FilterOptions } from './filters';

export type LetterState = 'parked' | 'pending' | 'poison' | 'poison-poison';
export type QueueState = Exclude<LetterState, 'parked'>;
export const LETTER_STATES: LetterState[] = ['parked', 'pending', 'poison', 'poison-poison'];

/** The queue behind a state: the dead-letter queue, its -poison queue, or that one's. */
export function queueOf(target: DlqTarget, state: QueueState): DlqTarget['deadLetterQueue'] {
  return state === 'pending' ? target.deadLetterQueue : state === 'poison' ? target.poisonQueue : target.poisonPoisonQueue;
}

export interface ListOptions extends FilterOptions {
  state: LetterState;
  json: boolean;
}

export type ListResult = { state: 'parked'; items: ParkedSummary[] } | { state: QueueState; items: PendingLetter[]; peekLimit: number };

/**
 * `list`: parked letters (all of them, filtered in the table), or the visible head of the queue or
 * poison queue (peek: at most 32, without disturbing the reprocessor).
 */
export async function listCommand(target: DlqTarget, io: CliIo, options: ListOptions): Promise<ListResult> {
  const query = toQuery(options);
  let result: ListResult;
  if (options.state === 'parked') {
    const items: ParkedSummary[] = [];
    for await (const s of target.parking.list(query)) items.push(s);
    result = { state: 'parked', items };
  } else {
    const queue = queueOf(target, options.state);
    result = { state: options.state, items: await peekPending(queue, query), peekLimit: PEEK_LIMIT };
  }
  if (options.json) {
    io.out(jsonText(result));
    return result;
  }
  // Every field but the counts comes from a letter (untrusted): through `shown`, padded after.
  if (result.state === 'parked') {
    for (const s of result.items) io.out(`${shown(s.id)}  ${shown(s.code).padEnd(18)} ${shown(s.deviceId).padEnd(16)} failed ${ageOf(s.failedAt)} ago  parked by ${shown(s.by)} after ${shown(s.attempts)} attempts: ${shown(s.reason)}`);
  } else {
    for (const p of result.items) io.out(`${typeof p.id === 'string' ? shown(p.id) : `(message ${shown(p.messageId)})`}  ${shown(p.code).padEnd(18)} ${shown(p.deviceId).padEnd(16)} queued ${ageOf(p.insertedOn)} ago  attempts ${shown(p.attempts)}  redrives ${shown(p.redriveCount)}${p.copies ? `  copies ${p.copies + 1} (one letter)` : ''}${p.expiresOn ? `  EXPIRES ${p.expiresOn}` : ''}`);
    io.err(`(the first ${result.peekLimit} visible messages at most; scheduled retries are invisible until due)`);
  }
  io.err(`${result.items.length} ${result.state}`);
  return result;
}
