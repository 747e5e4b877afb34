import { ScenarioEvents } from './scenario-events';

const options = { devices: 20, keyFrameEvery: 5, corruptRatio: 0.1, duplicateRatio: 0.1, seed: 4, startTime: Date.parse('2026-11-21T22:00:00Z') };
const take = (scenario: ScenarioEvents, distinct: number) => Array.from({ length: distinct }, () => scenario.next(0)).flat();

describe('scenario events', () => {
  it('are the same for the same seed, and differ for another', () => {
    const a = take(new ScenarioEvents(options), 500);
    const b = take(new ScenarioEvents(options), 500);
    const c = take(new ScenarioEvents({ ...options, seed: 5 }), 500);
    expect(b.map((e) => e.record.sha256)).toEqual(a.map((e) => e.record.sha256));
    expect(c.map((e) => e.record.sha256)).not.toEqual(a.map((e) => e.record.sha256));
  });

  it('number events in order; a duplicate repeats an earlier body byte for byte and names its original', () => {
    const events = take(new ScenarioEvents(options), 1000);
    expect(events.map((e) => e.record.index)).toEqual(events.map((_, i) => i));
    const duplicates = events.filter((e) => e.record.duplicateOf !== undefined);
    expect(duplicates.length).toBeGreaterThan(50);
    for (const d of duplicates) {
      const original = events[d.record.duplicateOf!]!;
      expect(original.record.duplicateOf).toBeUndefined();
      expect(d.body.equals(original.body)).toBe(true);
      expect(d.record).toMatchObject({ kind: original.record.kind, deviceId: original.record.deviceId, sha256: original.record.sha256 });
    }
  });

  it('corrupt events carry the code ingestion must give them; valid ones their telemetry', () => {
    const events = take(new ScenarioEvents(options), 1000).filter((e) => e.record.duplicateOf === undefined);
    const corrupt = events.filter((e) => e.record.kind === 'corrupt');
    expect(corrupt.length).toBeGreaterThan(50);
    expect(corrupt.every((e) => /^EVENT_[A-Z]+$/.test(e.record.expectedCode ?? ''))).toBe(true);
    for (const e of events.filter((v) => v.record.kind === 'valid')) expect(JSON.parse(e.body.toString('utf8'))).toEqual(e.record.telemetry);
  });
});
