import { execFile } from 'node:child_process';
import { cp, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { waitUntil } from '@telemetry/local-services';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * Builds an app with tools/build/bundle-app.mjs (the deployable bundle) and copies it to a temp
 * folder the test owns, so parallel test files (or a concurrent build) cannot swap it mid-run.
 * Builds of one app are serialised with a lock folder.
 */
export async function buildAppCopy(projectRoot: string): Promise<string> {
  const locks = path.join(tmpdir(), 'telemetry-build-locks');
  await mkdir(locks, { recursive: true });
  const lock = path.join(locks, projectRoot.replace(/[/\\]/g, '_'));
  await waitUntil(() => mkdir(lock).then(() => true, () => false), { timeoutMs: 120_000, intervalMs: 200, description: `build lock ${lock}` });
  try {
    await promisify(execFile)(process.execPath, [path.join(ROOT, 'tools/build/bundle-app.mjs'), projectRoot], { cwd: ROOT });
    const copy = await mkdtemp(path.join(tmpdir(), `${path.basename(projectRoot)}-`));
    await cp(path.join(ROOT, 'dist', projectRoot), copy, { recursive: true });
    return copy;
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
