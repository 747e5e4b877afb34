import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { SentEvent } from '@telemetry/simulator';
import { readRecordFile, writeRecordFile } from './record-file';

const event = (index: number): SentEvent => ({ index, deviceId: `drone-${index % 7}`, kind: 'valid', sha256: String(index).padStart(64, '0'), bytes: 80, sentAt: 1 } as SentEvent);

describe('record files (written in chunks: a full-size soak is too large for one string)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'record-file-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('reads back every event across chunk boundaries, in order; a rewrite replaces, an append adds', async () => {
    const file = path.join(dir, 'run.ndjson');
    await writeRecordFile(file, [event(-1)]);
    const events = Array.from({ length: 25_001 }, (_, i) => event(i));
    await writeRecordFile(file, events);
    await writeRecordFile(file, [event(99_999)], true);
    const back = await readRecordFile(file);
    expect(back.map((e) => e.index)).toEqual([...events.map((e) => e.index), 99_999]);
    expect(back[12_345]).toEqual(events[12_345]);
  });

  it('refuses a file that is not a simulator record, naming the line, rather than auditing nothing', async () => {
    const file = path.join(dir, 'wrong.ndjson');
    await writeFile(file, `${JSON.stringify(event(1))}\n{"deviceId":"drone-1","timestamp":"2026-12-02T00:00:00Z"}\n`);
    await expect(readRecordFile(file)).rejects.toThrow(/wrong\.ndjson:2: not a simulator record \(needs index, deviceId, kind and sha256/);
  });
});
