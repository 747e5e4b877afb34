// The content hash of a built app package (dist/apps/<app>): what decides whether an app deploys.
// A zip records file times, so the zip's own hash changes on every build; this hashes normalised
// content instead: every file but source maps, by sorted relative path (forward slashes), with
// CRLF -> LF and any `//# sourceMappingURL=` line removed from text files (a local build links its
// map, a deploy build does not; neither changes what runs).
//   node tools/build/package-hash.mjs [--json] [app|dir ...]   default: every folder in dist/apps
//   node tools/build/package-hash.mjs --changed <previous.json> [--json]   apps whose hash differs
//                                                                           (or that are new)
//   ... --changed <previous.json> --record <out.json>   also writes previous.json updated with the
//       hashes of the apps hashed now (what the pipeline publishes for its next run to compare with)
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
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
  const valueOf = (flag) => {
    const i = argv.indexOf(flag);
    if (i >= 0 && (!argv[i + 1] || argv[i + 1].startsWith('--'))) throw new Error(`${flag} needs a file`);
    return i >= 0 ? { index: i + 1, file: argv[i + 1] } : undefined;
  };
  const changed = valueOf('--changed');
  const record = valueOf('--record');
  if (record && !changed) throw new Error('--record needs --changed <previous.json>');
  const previousFile = changed?.file;
  const names = argv.filter((a, i) => !a.startsWith('--') && i !== changed?.index && i !== record?.index);
  const distApps = path.join(root, 'dist', 'apps');
  const targets = names.length ? names : existsSync(distApps) ? (await readdir(distApps, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name) : [];
  const dirs = Object.fromEntries(targets.map((t) => (t.includes('/') ? [path.basename(t), path.resolve(t)] : [t, path.join(distApps, t)])));
  const hashes = await packageHashes(dirs);
  if (previousFile) {
    const previous = existsSync(previousFile) ? JSON.parse(await readFile(previousFile, 'utf8')) : {};
    const changedApps = Object.keys(hashes).filter((app) => previous[app] !== hashes[app]);
    if (record) {
      const merged = Object.fromEntries(Object.entries({ ...previous, ...hashes }).sort(([a], [b]) => a.localeCompare(b)));
      await mkdir(path.dirname(path.resolve(record.file)), { recursive: true });
      await writeFile(record.file, JSON.stringify(merged, null, 2) + '\n');
    }
    console.log(json ? JSON.stringify(changedApps) : changedApps.join('\n'));
    return;
  }
  console.log(json ? JSON.stringify(hashes, null, 2) : Object.entries(hashes).map(([a, h]) => `${h}  ${a}`).join('\n'));
}

if (import.meta.url === `file://${process.argv[1]}`) await main(process.argv.slice(2));
