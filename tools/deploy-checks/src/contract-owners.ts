import { execFile } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { DEAD_LETTER_SCHEMA, RESOURCE_NAMES } from '@telemetry/contracts';

/** Where the cross-app contracts are defined, and the only place they may be. */
export const CONTRACTS_ROOT = 'libs/contracts/';

export interface SourceFile {
  /** Relative to the workspace root, with forward slashes. */
  path: string;
  text: string;
}

export interface Redeclaration {
  path: string;
  line: number;
  contract: 'breaker status' | 'dead-letter schema' | 'resource name';
  found: string;
}

const quoted = (value: string): RegExp => new RegExp(`(['"\`])${value.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\1`);

/** The resource names several apps and tools share (the Cosmos database/container names are also common words). */
const SHARED_RESOURCES = ['deadLetterQueue', 'claimCheckContainer', 'parkingTable', 'failureTable', 'checkpointContainer'] as const;

/** This check's own fixtures re-declare every contract on purpose. */
const SELF = /^tools\/deploy-checks\/src\/contract-owners(\.spec)?\.ts$/;

/** What declaring one of the contracts looks like in TypeScript. */
const DETECTORS: { contract: Redeclaration['contract']; pattern: RegExp }[] = [
  // The breaker's status report: a type or schema named for it, or a declared approval offer
  // (`approval?: { approveUrl: string }`, `approval: z.object({ approveUrl: z.string() })`); values are reads.
  { contract: 'breaker status', pattern: /\b(interface|type)\s+\w*BreakerStatus(Report|Response|Body)?\b/ },
  { contract: 'breaker status', pattern: /\b(const|let)\s+\w*[Bb]reakerStatusSchema\b/ },
  { contract: 'breaker status', pattern: /\bapproval\??\s*:\s*(z\.\w+\(\s*)?\{[^}]*\bapproveUrl\??\s*:\s*(string\b|z\.)/ },
  // The dead-letter format: its schema id, or a declared DeadLetter shape.
  { contract: 'dead-letter schema', pattern: quoted(DEAD_LETTER_SCHEMA) },
  { contract: 'dead-letter schema', pattern: /\b(interface\s+DeadLetter\b|(type|class)\s+DeadLetter\s*[=<{])/ },
  { contract: 'dead-letter schema', pattern: /\bDEAD_LETTER_SCHEMA\s*=/ },
  // A default resource name written out instead of RESOURCE_NAMES.
  ...SHARED_RESOURCES.map((key) => ({ contract: 'resource name' as const, pattern: quoted(RESOURCE_NAMES[key]) })),
];

/** Every declaration of a cross-app contract outside libs/contracts. */
export function findContractRedeclarations(files: readonly SourceFile[]): Redeclaration[] {
  const found: Redeclaration[] = [];
  for (const file of files) {
    if (file.path.startsWith(CONTRACTS_ROOT) || SELF.test(file.path)) continue;
    file.text.split('\n').forEach((text, i) => {
      if (/^\s*import\b/.test(text)) return;
      for (const { contract, pattern } of DETECTORS) {
        const match = pattern.exec(text);
        if (match) found.push({ path: file.path, line: i + 1, contract, found: match[0] });
      }
    });
  }
  return found;
}

/** The workspace's TypeScript sources (tests included: they declare shapes too); git's view when there is one. */
export async function workspaceSources(root: string): Promise<SourceFile[]> {
  const paths = (await gitFiles(root)) ?? (await walk(root, ['apps', 'libs', 'tools']));
  const sources = paths.filter((p) => /\.(ts|mts|cts)$/.test(p) && !/(^|\/)(node_modules|dist)\//.test(p));
  return Promise.all(sources.map(async (p) => ({ path: p, text: await readFile(path.join(root, p), 'utf8').catch(() => '') })));
}

async function gitFiles(root: string): Promise<string[] | undefined> {
  try {
    const { stdout } = await promisify(execFile)('git', ['ls-files', '--cached', '--others', '--exclude-standard', '--', 'apps', 'libs', 'tools'], { cwd: root, maxBuffer: 64 * 1024 * 1024 });
    return stdout.split('\n').filter(Boolean);
  } catch {
    return undefined; // an exported tree without .git
  }
}

async function walk(root: string, dirs: string[]): Promise<string[]> {
  const out: string[] = [];
  for (const dir of dirs) {
    const entries = await readdir(path.join(root, dir), { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      const rel = `${dir}/${entry.name}`;
      if (entry.isDirectory() && !['node_modules', 'dist', '.nx'].includes(entry.name)) out.push(...(await walk(root, [rel])));
      else if (entry.isFile()) out.push(rel);
    }
  }
  return out;
}
