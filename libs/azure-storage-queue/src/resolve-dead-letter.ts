import type { ContainerClient } from '@azure/storage-blob';
import { PipelineError } from '@telemetry/core';
import { decodeDeadLetter, isClaimCheckBlobNameOf, type DeadLetter } from '@telemetry/contracts';

/**
 * Throws CLAIM_CHECK_INVALID (permanent) unless the letter's claim check names the configured
 * container and a blob name the sinks produce for this letter's id: a queue message is untrusted,
 * and a name such as `../other/blob` would otherwise be read (or, once parked, deleted) outside.
 */
export function checkClaimCheck(letter: DeadLetter, claimChecks: ContainerClient): void {
  const claim = letter.claimCheck;
  if (!claim) return;
  if (claim.container !== claimChecks.containerName || typeof claim.blobName !== 'string' || !isClaimCheckBlobNameOf(letter.id, claim.blobName)) {
    throw new PipelineError(
      'CLAIM_CHECK_INVALID',
      `dead letter ${JSON.stringify(letter.id).slice(0, 80)}: its claim check ${JSON.stringify(`${String(claim.container)}/${String(claim.blobName)}`).slice(0, 200)} is not a name the sink produces in container ${claimChecks.containerName}; not followed`,
      { stage: 'reprocess' },
    );
  }
}

/** Loads the full letter behind a claim-check summary (returns other letters unchanged). */
export async function resolveDeadLetter(letter: DeadLetter, claimChecks: ContainerClient): Promise<DeadLetter> {
  if (!letter.claimCheck) return letter;
  checkClaimCheck(letter, claimChecks);
  const buffer = await claimChecks.getBlockBlobClient(letter.claimCheck.blobName).downloadToBuffer();
  return decodeDeadLetter(JSON.parse(buffer.toString('utf8')) as object);
}
