import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ScenarioEvents, SentRecord, type SentEvent } from '@telemetry/simulator';
import { applyClockRule } from './clock-rule';
import { readRecordFile, writeRecordFile } from './record-file';
import { concatRuns } from './scenarios/load';

/** A scenario's records as the simulator keeps them (compact), and the same as plain SentEvents (what the record file holds). */
function run(seed: number, distinct: number, startTime: number, sentFrom = startTime): { compact: SentEvent[]; plain: SentEvent[] } {
  const scenario = new ScenarioEvents({ devices: 25, keyFrameEvery: 4, corruptRatio: 0.1, duplicateRatio: 0.1, seed, startTime });
  for (let i = 0; i < distinct; i++) scenario.next(sentFrom + i);
  const compact = scenario.records();
  return { compact, plain: compact.map((r) => JSON.parse(JSON.stringify(r)) as SentEvent) };
}
/** What the audit reads of each event: every field, the telemetry as an object. */
const auditView = (events: SentEvent[]): unknown[] => events.map((e) => ({ ...e, telemetry: e.telemetry }));

describe('compact sent records in the fault matrix (record file and audit inputs as with plain records)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'compact-records-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('the record file is the same text, and reads back as the plain records', async () => {
    const { compact, plain } = run(5, 2_000, Date.parse('2026-11-21T22:00:00Z'));
    expect(compact.every((r) => r instanceof SentRecord)).toBe(true);
    const a = path.join(dir, 'compact.ndjson');
    const b = path.join(dir, 'plain.ndjson');
    await writeRecordFile(a, compact);
    await writeRecordFile(b, plain);
    expect(await readFile(a, 'utf8')).toBe(await readFile(b, 'utf8'));
    expect(await readRecordFile(a)).toEqual(plain);
  });

  it('runs joined and the clock rule give the audit the same events, telemetry included', () => {
    const now = Date.now();
    const first = run(6, 500, now);
    // Device clocks 10 minutes ahead of the send time: the clock rule refuses them.
    const second = run(7, 500, now + 600_000, now);
    const joined = concatRuns(first.compact, second.compact);
    const joinedPlain = concatRuns(first.plain, second.plain);
    expect(auditView(joined)).toEqual(auditView(joinedPlain));
    expect(joined.map((e) => JSON.stringify(e))).toEqual(joinedPlain.map((e) => JSON.stringify(e)));
    const rule = applyClockRule(joined);
    const rulePlain = applyClockRule(joinedPlain);
    expect(rule.refused).toBeGreaterThan(0);
    expect(rule.refused).toBe(rulePlain.refused);
    expect(auditView(rule.events)).toEqual(auditView(rulePlain.events));
  });
});
