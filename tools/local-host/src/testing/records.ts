import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export type RecordLine = Record<string, unknown> & { pid: number; at: string };

/** A fresh file path fixtures append JSON lines to (setting RECORD_FILE). */
export function recordFile(prefix: string): string {
  return path.join(mkdtempSync(path.join(tmpdir(), `local-host-${prefix}-`)), 'records.jsonl');
}

export function readRecords<T = RecordLine>(file: string): T[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as T);
}

export const fixture = (name: string): string => path.join(__dirname, 'fixtures', name);
