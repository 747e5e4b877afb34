import { mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

let built: string | undefined;

/**
 * The host CLI compiled to one JavaScript file (its npm dependencies stay external), so a host
 * for a built app runs on plain `node`: no TypeScript loader in the process, which would add about
 * 50 MB of resident memory (a WebAssembly parser and source maps) that a real worker does not have.
 * Built once per process (esbuild, well under a second), written atomically so parallel test
 * processes never run a half-written file.
 */
export function hostBundle(): string {
  if (built) return built;
  const outDir = path.resolve(__dirname, '..', '..', '..', 'dist', 'tools', 'local-host');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'cli.js');
  const temp = `${out}.${process.pid}.tmp`;
  buildSync({
    entryPoints: [path.join(__dirname, 'cli.ts')],
    outfile: temp,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    packages: 'external',
    logLevel: 'warning',
  });
  renameSync(temp, out);
  built = out;
  return out;
}
