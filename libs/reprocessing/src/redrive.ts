import { createHash } from 'node:crypto';
import { originalBody } from '@telemetry/dead-letter';
import { type DeadLetter } from '@telemetry/contracts';
import type { DeadLetterQueue } from './dead-letter-queue';
import type { ParkedLetter, ParkingStore } from './parking-store';

/** The application property every redriven event carries (a JSON string). */
export const REDRIVE_PROPERTY = 'x-redrive';

export interface RedriveOptions {
  /** Who redrove it (operator name or tool), recorded in the letter. */
  by: string;
  reason?: string;
  /** A corrected body to send instead of the original (the original's sha256 is kept). */
  body?: Buffer;
  now?: Date;
}

/** The letter marked as redriven (count + 1), its retry budget reset, its body replaced if asked. */
export function markRedriven(letter: DeadLetter, options: RedriveOptions): DeadLetter {
  const { reprocess: _reset, ...rest } = letter;
  const out: DeadLetter = {
    ...rest,
    redrive: {
      count: (letter.redrive?.count ?? 0) + 1,
      lastAt: (options.now ?? new Date()).toISOString(),
      by: options.by,
      ...(options.reason ? { reason: options.reason } : {}),
      ...(options.body ? { originalBodySha256: letter.redrive?.originalBodySha256 ?? letter.bodySha256 } : {}),
    },
  };
  if (options.body) {
    out.body = options.body.toString('base64');
    out.bodyBytes = options.body.byteLength;
    out.bodySha256 = createHash('sha256').update(options.body).digest('hex');
    // The old decoding described the old body: the reprocessor decodes the new one.
    out.decoded = null;
  }
  return out;
}

/** An event to send back to Event Hubs. */
export interface RedriveEvent {
  body: Buffer;
  properties: Record<string, unknown>;
  partitionKey: string | null;
  /** Property names dropped because the dead letter holds them redacted. */
  droppedProperties: string[];
}

/**
 * The original event again: the body's bytes, the application properties (binary values
 * restored; redacted ones dropped, as their values were never stored), the original partition
 * key, plus `x-redrive` = JSON { count, deadLetterId, originalPartitionId,
 * originalSequenceNumber, originalEnqueuedTimeUtc, code, reason, by }.
 */
export function redriveEventOf(letter: DeadLetter): RedriveEvent {
  const properties: Record<string, unknown> = {};
  const droppedProperties: string[] = [];
  for (const [key, value] of Object.entries(letter.properties)) {
    if (key === REDRIVE_PROPERTY) continue;
    if (value === '***') droppedProperties.push(key);
    else if (typeof value === 'object' && value !== null && typeof (value as { $binary?: unknown }).$binary === 'string') {
      properties[key] = Buffer.from((value as { $binary: string }).$binary, 'base64');
    } else properties[key] = value;
  }
  properties[REDRIVE_PROPERTY] = JSON.stringify({
    count: letter.redrive?.count ?? 1,
    deadLetterId: letter.id,
    originalPartitionId: letter.partitionId,
    originalSequenceNumber: letter.sequenceNumber,
    originalEnqueuedTimeUtc: letter.enqueuedTimeUtc,
    code: letter.issue.code,
    reason: letter.redrive?.reason ?? null,
    by: letter.redrive?.by ?? null,
  });
  return { body: originalBody(letter), properties, partitionKey: letter.partitionKey, droppedProperties };
}

/** Where a redriven letter goes. */
export interface RedriveTarget {
  readonly name: 'reprocessor' | 'event-hubs';
  redrive(letter: DeadLetter): Promise<void>;
}

/** Back through the reprocessor: onto the dead-letter queue, visible at once. */
export function reprocessorTarget(queue: DeadLetterQueue): RedriveTarget {
  return { name: 'reprocessor', redrive: (letter) => queue.enqueue(letter, { delaySeconds: 0 }) };
}

/**
 * Redrives one parked letter: marked, sent to the target, then removed from parking. A crash in
 * between sends it twice, which the merge rule makes harmless; removing first could lose it.
 */
export async function redriveParked(entry: ParkedLetter, target: RedriveTarget, parking: ParkingStore, options: RedriveOptions): Promise<DeadLetter> {
  const letter = markRedriven(entry.letter, options);
  await target.redrive(letter);
  await parking.remove(entry);
  return letter;
}
