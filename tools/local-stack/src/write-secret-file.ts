import { randomBytes } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * Writes a file that holds keys so that only its owner can read it, whatever was there before:
 * `writeFile(..., { mode: 0o600 })` applies the mode only when it creates the file, so an older
 * world-readable `.local/stack.json` would have kept its mode. Written beside the target with mode
 * 0600 and renamed over it (atomic: readers never see a half-written descriptor).
 */
export function writeSecretFile(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    writeFileSync(temp, content, { mode: 0o600, flag: 'wx' });
    renameSync(temp, file);
  } catch (error) {
    rmSync(temp, { force: true });
    throw error;
  }
}
