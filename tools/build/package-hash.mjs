// The content hash of a built app package (dist/apps/<app>): what decides whether an app deploys.
// A zip records file times, so the zip's own hash changes on every build; this hashes normalised
// content instead: every file but source maps, by sorted relative path (forward slashes), with
// CRLF -> LF and any `//# sourceMappingURL=` line removed from text files (a local build links its
// map, a deploy build does not; neither changes what runs).
//   node tools/build/package-hash.mjs [--json] [app|dir ...]   default: every folder in dist/apps
//   node tools/build/package-hash.mjs --changed <previous.json> [--json]   apps whose hash differs
//                                                                           (or that are new)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..', '..');
const TEXT = /\.(js|mjs|cjs|json|html|css|txt|md)$/;

async function files(dir, rel = '') {
  const out = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await files(dir, r)));
    else if (!e.name.endsWith('.map')) out.push(r);
  }
  return out.sort();
}

export function normalise(name, bytes) {
  if (!TEXT.test(name)) return bytes;
  const text = bytes.toString('utf8').replace(/\r\n/g, '\n').replace(/^\/\/# sourceMappingURL=.*$\n?/gm, '');
  return Buffer.from(text, 'utf8');
}

/** sha256 over (path, length, normalised content) of every file in the package folder. */
export async function packageHash(dir) {
  const hash = createHash('sha256');
  for (const name of await files(dir)) {
    const content = normalise(name, await readFile(path.join(dir, name)));
    hash.update(`${name}\0${content.length}\0`).update(content);
  }
  return hash.digest('hex');
}

export async function packageHashes(dirs) {
  const out = {};
  for (const [app, dir] of Object.entries(dirs)) out[app] = await packageHash(dir);
  return out;
}

async function main(argv) {
  const json = argv.includes('--json');
  const changedIdx = argv.indexOf('--changed');
  const previousFile = changedIdx >= 0 ? argv[changedIdx + 1] : undefined;
  const names = argv.filter((a, i) => !a.startsWith('--') && !(changedIdx >= 0 && i === changedIdx + 1));
  const distApps = path.join(root, 'dist', 'apps');
  const targets = names.length ? names : existsSync(distApps) ? (await readdir(distApps, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  const dirs = Object.fromEntries(targets.map((t) => (t.includes('/') ? [path.basename(t), path.resolve(t)] : [t, path.join(distApps, t)])));
  const hashes = await packageHashes(dirs);
  if (previousFile) {
    const previous = existsSync(previousFile) ? JSON.parse(await readFile(previousFile, 'utf8')) : {};
    const changed = Object.keys(hashes).filter((app) => previous[app] !== hashes[app]);
    console.log(json ? JSON.stringify(changed) : changed.join('\n'));
    return;
  }
  console.log(json ? JSON.stringify(hashes, null, 2) : Object.entries(hashes).map(([a, h]) => `${h}  ${a}`).join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
