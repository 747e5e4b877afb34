import { createHash } from 'node:crypto';

/**
 * Where a dead letter's event came from: its Event Hubs coordinates, or (for a queue message that
 * is not a dead letter, wrapped by the reprocessor) the sha256 of the message's bytes.
 */
export type DeadLetterSource =
  | { eventHubName: string | null; consumerGroup: string | null; partitionId: string; sequenceNumber: number }
  | { messageSha256: string };

/** A dead-letter id: 32 lowercase hex characters (128 bits of a sha256). */
export const DEAD_LETTER_ID_PATTERN = /^[0-9a-f]{32}$/;

/**
 * The dead letter's id, derived (never random), so that a retried batch rebuilds the same ids and
 * a second copy of a letter is recognisably the same letter: the first 32 hex characters of
 * sha256 over `telemetry-dead-letter-id/v1` and the JSON array [eventHubName, consumerGroup,
 * partitionId, sequenceNumber, issueCode] (null hub/group as ""), or [`message`, sha256, issueCode].
 * An event is at one sequence number of one partition of one hub for one consumer group, so the
 * coordinates name it; the code tells two different failures of it apart. Documented in README
 * ("Dead letters"); changing this rule is a contract change.
 */
export function deadLetterId(source: DeadLetterSource, issueCode: string): string {
  const parts =
    'messageSha256' in source
      ? ['message', source.messageSha256, issueCode]
      : [source.eventHubName ?? '', source.consumerGroup ?? '', source.partitionId, source.sequenceNumber, issueCode];
  return createHash('sha256').update(`telemetry-dead-letter-id/v1\n${JSON.stringify(parts)}`).digest('hex').slice(0, 32);
}

/**
 * A claim-check blob's name, from the letter's id alone: `<id>.json`; `<id>.r<n>.json` for the n-th
 * redrive (a corrected body must not overwrite the original). A retried write overwrites the same
 * blob instead of orphaning one.
 */
export function claimCheckBlobName(id: string, redriveCount?: number): string {
  return redriveCount ? `${id}.r${redriveCount}.json` : `${id}.json`;
}

// `<id>[.r<n>].json`, or the form written before derived ids: `yyyy/mm/dd/<uuid>[.r<n>].json`.
const CLAIM_CHECK_BLOB = /^(?:([0-9a-f]{32})|\d{4}\/\d{2}\/\d{2}\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}))(?:\.r[1-9]\d{0,8})?\.json$/;

/**
 * Whether `blobName` is a name the dead-letter sinks produce for the letter `id` (and nothing else:
 * no `..`, no `/` but the legacy date folders, no other letter's blob). Queue messages are
 * untrusted: a claim check is followed (read, or deleted on purge) only when this holds.
 */
export function isClaimCheckBlobNameOf(id: string, blobName: string): boolean {
  const match = CLAIM_CHECK_BLOB.exec(blobName);
  return match !== null && (match[1] ?? match[2]) === id;
}
