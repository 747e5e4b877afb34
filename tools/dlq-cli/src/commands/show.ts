import { peekPending } from '@telemetry/azure-storage-queue';
import { tryDecodeLetter, type ParkedLetter } from '@telemetry/reprocessing';
import type { DeadLetter } from '@telemetry/contracts';
import { redactValue } from '@telemetry/core';
import type { CliIo } from '../io';
import type { DlqTarget } from '../target';
import { redactedBase64Body, redactedJsonText, shown, shownBase64Body, shownBlock } from '../terminal-text';

export interface ShowResult {
  state: 'parked' | 'pending' | 'poison' | 'poison-poison';
  parked?: Omit<ParkedLetter, 'letter'>;
  letter: DeadLetter;
  /** The body as text when it is valid UTF-8, else null (see letter.body, base64). */
  bodyText: string | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** `show <id>`: one letter, whole (claim check resolved), from parking or the visible queue heads. */
export async function showCommand(target: DlqTarget, io: CliIo, id: string, options: { json: boolean }): Promise<ShowResult> {
  let result: Omit<ShowResult, 'bodyText'> | undefined;
  const parked = await target.parking.get(id);
  if (parked) {
    const { letter, ...rest } = parked;
    result = { state: 'parked', parked: rest, letter };
  } else {
    for (const [state, queue] of [['pending', target.deadLetterQueue], ['poison', target.poisonQueue], ['poison-poison', target.poisonPoisonQueue]] as const) {
      const hit = (await peekPending(queue)).find((p) => p.id === id);
      if (!hit) continue;
      const { peekedMessageItems } = await queue.peekMessages({ numberOfMessages: 32 });
      const message = peekedMessageItems.find((m) => m.messageId === hit.messageId);
      const letter = message && tryDecodeLetter(Buffer.from(message.messageText, 'base64').toString('utf8'));
      if (letter) result = { state, letter: await target.dlq.resolve(letter) };
      break;
    }
  }
  if (!result) throw new Error(`dead letter ${id} not found (parked, or among the visible pending and poison messages)`);
  let bodyText: string | null = null;
  if (result.letter.body !== null) {
    try {
      bodyText = utf8.decode(Buffer.from(result.letter.body, 'base64'));
    } catch {
      bodyText = null;
    }
  }
  const out: ShowResult = { ...result, bodyText };
  if (options.json) io.out(showJson(out));
  else io.out(showText(out));
  return out;
}

/** `--json`: redacted as log fields are, but the base64 body by labelled credentials only (it stays replayable). */
function showJson(out: ShowResult): string {
  const redacted = redactValue(out) as { letter: Record<string, unknown> };
  if (typeof out.letter.body === 'string') redacted.letter['body'] = redactedBase64Body(out.letter.body);
  return redactedJsonText(redacted);
}

/** Human output: every letter field through `shown` (redacted, control characters escaped); the body as a block. */
function showText(out: ShowResult): string {
  const l = out.letter;
  const p = out.parked;
  return [
    `id:        ${shown(l.id)} (${out.state})`,
    `issue:     ${shown(l.issue.code)} (${shown(l.issue.stage)}, ${l.issue.retryable ? 'retryable' : 'permanent'}): ${shown(l.issue.message)}`,
    ...(p ? [`parked:    ${shown(p.parkedAt)} by ${shown(p.by)} after ${shown(p.attempts)} attempts: ${shown(p.reason)}`] : []),
    `device:    ${shown(l.deviceId)}   partition ${shown(l.partitionId)} seq ${shown(l.sequenceNumber)} offset ${shown(l.offset)} key ${shown(l.partitionKey)}`,
    `enqueued:  ${shown(l.enqueuedTimeUtc)}   failed ${shown(l.failedAt)}   redrives ${shown(l.redrive?.count ?? 0)}`,
    `properties: ${shown(l.properties)}`,
    `body:      ${shown(l.bodyBytes)} bytes, sha256 ${shown(l.bodySha256)}`,
    out.bodyText !== null ? shownBlock(out.bodyText) : `(not UTF-8; base64) ${typeof l.body === 'string' ? shownBase64Body(l.body) : shown(l.body, '(claim-checked)')}`,
  ].join('\n');
}
