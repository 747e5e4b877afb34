import { peekPending } from '@telemetry/azure-storage-queue';
import { tryDecodeLetter, type ParkedLetter } from '@telemetry/reprocessing';
import type { DeadLetter } from '@telemetry/contracts';
import type { CliIo } from '../io';
import type { DlqTarget } from '../target';

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
  if (options.json) io.out(JSON.stringify(out, null, 2));
  else {
    const l = out.letter;
    io.out([
      `id:        ${l.id} (${out.state})`,
      `issue:     ${l.issue.code} (${l.issue.stage}, ${l.issue.retryable ? 'retryable' : 'permanent'}): ${l.issue.message}`,
      ...(out.parked ? [`parked:    ${out.parked.parkedAt} by ${out.parked.by} after ${out.parked.attempts} attempts: ${out.parked.reason}`] : []),
      `device:    ${l.deviceId ?? '-'}   partition ${l.partitionId} seq ${l.sequenceNumber} offset ${l.offset} key ${l.partitionKey ?? '-'}`,
      `enqueued:  ${l.enqueuedTimeUtc}   failed ${l.failedAt}   redrives ${l.redrive?.count ?? 0}`,
      `properties: ${JSON.stringify(l.properties)}`,
      `body:      ${l.bodyBytes} bytes, sha256 ${l.bodySha256}`,
      bodyText !== null ? bodyText : `(not UTF-8; base64) ${l.body ?? '(claim-checked)'}`,
    ].join('\n'));
  }
  return out;
}
