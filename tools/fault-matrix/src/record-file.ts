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
    let record: unknown;
    try {
      record = JSON.parse(line);
    } catch (error) {
      throw new Error(`${file}:${n}: not a JSON record (${(error as Error).message})`);
    }
    const r = record as Partial<SentEvent> | null;
    // An audit of a file that is not the simulator's record would account for nothing (every event "lost" as #undefined).
    if (typeof r !== 'object' || r === null || typeof r.index !== 'number' || typeof r.deviceId !== 'string' || typeof r.kind !== 'string' || typeof r.sha256 !== 'string') {
      throw new Error(`${file}:${n}: not a simulator record (needs index, deviceId, kind and sha256: the file \`npm run simulate -- --record\` or \`npm start\` writes)`);
    }
    events.push(r as SentEvent);
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
