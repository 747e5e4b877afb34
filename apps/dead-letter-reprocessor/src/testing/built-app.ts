import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..');

/**
 * Builds an app with tools/build/bundle-app.mjs (the deployable bundle) straight into a temp
 * folder the test owns, so parallel test files (or a concurrent `nx build`) cannot swap it mid-run.
 */
export async function buildAppCopy(projectRoot: string): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), `${path.basename(projectRoot)}-`));
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'tools/build/bundle-app.mjs'), projectRoot, out], { cwd: ROOT });
  return out;
}
