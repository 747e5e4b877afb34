import { createReadStream } from 'node:fs';
import { appendFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { SentEvent } from '@telemetry/simulator';

/** Reads a simulator record file (NDJSON, one SentEvent a line), streaming: runs can be large. */
export async function readRecordFile(file: string): Promise<SentEvent[]> {
  const events: SentEvent[] = [];
  const lines = createInterface({ input: createReadStream(file, 'utf8'), crlfDelay: Infinity });
  let n = 0;
  for await (const line of lines) {
    n++;
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as SentEvent);
    } catch (error) {
      throw new Error(`${file}:${n}: not a JSON record (${(error as Error).message})`);
    }
  }
  return events;
}

/** Events per write: a full-size soak's 1.8 million records joined in one string pass V8's string length limit. */
const CHUNK = 10_000;

/** Writes events in the simulator's record format, so `npm run audit` can audit any run. */
export async function writeRecordFile(file: string, events: SentEvent[], append = false): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  if (!append) await writeFile(file, '');
  for (let i = 0; i < events.length; i += CHUNK) {
    await appendFile(file, events.slice(i, i + CHUNK).map((e) => `${JSON.stringify(e)}\n`).join(''));
  }
}
