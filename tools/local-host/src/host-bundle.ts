import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildSync } from 'esbuild';

let built: string | undefined;

const WORKSPACE = path.resolve(__dirname, '..', '..', '..');

/**
 * What the compiled host is made of: its sources, every lib (the `@telemetry/*` paths), the path
 * aliases and the lockfile (its npm dependencies stay external, but their versions are in it).
 */
function sourcesKey(): string {
  const hash = createHash('sha256');
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name === 'node_modules' || e.name === 'dist') continue;
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && /\.(ts|json)$/.test(e.name)) hash.update(`${path.relative(WORKSPACE, p)}\0`).update(readFileSync(p)).update('\0');
    }
  };
  walk(__dirname);
  walk(path.join(WORKSPACE, 'libs'));
  for (const f of ['tsconfig.base.json', 'package-lock.json']) {
    const p = path.join(WORKSPACE, f);
    if (existsSync(p)) hash.update(`${f}\0`).update(readFileSync(p));
  }
  return hash.digest('hex');
}

/**
 * The host CLI compiled to one JavaScript file (its npm dependencies stay external), so a host
 * for a built app runs on plain `node`: no TypeScript loader in the process, which would add about
 * 50 MB of resident memory (a WebAssembly parser and source maps) that a real worker does not have.
 * Built at most once per process, and not at all when the file on disk was compiled from the same
 * sources (`cli.js.key` holds their hash: every test process that spawns a host used to compile
 * it again, ~1 CPU-s each); written atomically so parallel test processes never run a half-written
 * file.
 */
export function hostBundle(): string {
  if (built) return built;
  const outDir = path.join(WORKSPACE, 'dist', 'tools', 'local-host');
  mkdirSync(outDir, { recursive: true });
  const out = path.join(outDir, 'cli.js');
  const keyFile = `${out}.key`;
  const key = sourcesKey();
  const current = existsSync(out) && existsSync(keyFile) ? readFileSync(keyFile, 'utf8') : undefined;
  if (current !== key) {
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
    // The file first, then its key: a reader that sees the new key finds the new file.
    renameSync(temp, out);
    writeFileSync(`${keyFile}.${process.pid}.tmp`, key);
    renameSync(`${keyFile}.${process.pid}.tmp`, keyFile);
  }
  built = out;
  return out;
}
