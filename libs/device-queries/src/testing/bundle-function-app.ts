import { execFile } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const ROOT = path.resolve(__dirname, '../../../..');

/**
 * Bundles a function app with tools/build/bundle-app.mjs (the deployable shape) into a fresh temp
 * folder, so tests never race the workspace build over dist/.
 */
export async function bundleFunctionApp(projectRoot: string): Promise<string> {
  const out = await mkdtemp(path.join(tmpdir(), `${path.basename(projectRoot)}-bundle-`));
  await promisify(execFile)(process.execPath, [path.join(ROOT, 'tools/build/bundle-app.mjs'), projectRoot, out], { cwd: ROOT });
  return out;
}
