import type { ContainerClient } from '@azure/storage-blob';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';

/** Loads the full letter behind a claim-check summary (returns other letters unchanged). */
export async function resolveDeadLetter(letter: DeadLetter, claimChecks: ContainerClient): Promise<DeadLetter> {
  if (!letter.claimCheck) return letter;
  const buffer = await claimChecks.getBlockBlobClient(letter.claimCheck.blobName).downloadToBuffer();
  return decodeDeadLetter(JSON.parse(buffer.toString('utf8')) as object);
}
