import { corruptBody, CORRUPTIONS } from './corrupt-event';
import { DroneFleet } from './drone-fleet';
import { seededRandom } from './random';
import { ScenarioEvents, type ScenarioEventsOptions } from './scenario-events';
import { sha256, SentRecord, withChanges, type SentEvent } from './sent-record';

/**
 * The simulator's event stream as it was before records were compacted (plain records with a
 * telemetry object, every body kept): the reference the compact records must match byte for byte.
 */
function legacyEvents(options: ScenarioEventsOptions, distinct: number, now: (i: number) => number): { record: SentEvent; body: Buffer }[] {
  const random = seededRandom(options.seed);
  const fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: options.keyFrameEvery, random, startTime: options.startTime });
  const produced: { record: SentEvent; body: Buffer }[] = [];
  const generationOf = (deviceId: string): string => `gen-${options.seed}-${deviceId}`;
  for (let i = 0; i < distinct; i++) {
    const at = now(i);
    const telemetry = fleet.next();
    const index = produced.length;
    let attack: 'spoof' | 'module' | 'non-telemetry' | undefined;
    if (options.iotHub) {
      const r = random();
      const o = options.iotHub;
      attack = r < o.spoofRatio ? 'spoof' : r < o.spoofRatio + o.moduleRatio ? 'module' : r < o.spoofRatio + o.moduleRatio + o.nonTelemetryRatio ? 'non-telemetry' : undefined;
    }
    let event: { record: SentEvent; body: Buffer };
    if (attack) {
      const sender = telemetry.deviceId;
      const base = { deviceId: sender, generationId: generationOf(sender), attack };
      let body: Buffer;
      let iotHub: SentEvent['iotHub'];
      let expectedCode: string;
      if (attack === 'spoof') {
        const victim = `drone-${String((Number(sender.slice(-5)) + 1) % options.devices).padStart(5, '0')}`;
        body = Buffer.from(JSON.stringify({ ...telemetry, deviceId: victim === sender ? `${sender}-x` : victim, battery: 0.01 }));
        iotHub = { ...base, source: 'Telemetry' };
        expectedCode = 'EVENT_DEVICE_SPOOFED';
      } else if (attack === 'module') {
        body = Buffer.from(JSON.stringify(telemetry));
        iotHub = { ...base, moduleId: 'camera', source: 'Telemetry' };
        expectedCode = 'EVENT_FROM_MODULE';
      } else {
        const twin = random() < 0.5;
        body = Buffer.from(JSON.stringify(twin ? { version: 2, properties: { reported: { battery: 0.99 } } } : { deviceId: sender, etag: 'AAAA', version: 1, status: 'enabled' }));
        iotHub = { ...base, source: twin ? 'twinChangeEvents' : 'deviceLifecycleEvents' };
        expectedCode = 'EVENT_NOT_TELEMETRY';
      }
      event = { body, record: { index, deviceId: sender, kind: 'corrupt', expectedCode, sha256: sha256(body), bytes: body.byteLength, sentAt: at, iotHub } };
    } else if (random() < options.corruptRatio) {
      const corruption = CORRUPTIONS[Math.floor(random() * CORRUPTIONS.length)]!;
      const body = corruptBody(telemetry, corruption);
      event = { body, record: { index, deviceId: telemetry.deviceId, kind: 'corrupt', expectedCode: corruption.code, sha256: sha256(body), bytes: body.byteLength, sentAt: at } };
    } else {
      const body = Buffer.from(JSON.stringify(telemetry));
      event = { body, record: { index, deviceId: telemetry.deviceId, kind: 'valid', telemetry, sha256: sha256(body), bytes: body.byteLength, sentAt: at } };
    }
    if (options.iotHub && !event.record.iotHub) event.record.iotHub = { deviceId: telemetry.deviceId, generationId: generationOf(telemetry.deviceId), source: 'Telemetry' };
    produced.push(event);
    if (produced.length > 1 && random() < options.duplicateRatio) {
      const original = produced[Math.floor(random() * (produced.length - 1))]!;
      produced.push({ body: original.body, record: { ...original.record, index: produced.length, duplicateOf: original.record.duplicateOf ?? original.record.index, sentAt: at } });
    }
  }
  return produced;
}

const BASE = { devices: 30, keyFrameEvery: 4, startTime: Date.parse('2026-11-21T22:00:00Z') };
const CASES: [string, ScenarioEventsOptions][] = [
  ['the fault matrix load (1% corrupt, 2% duplicates)', { ...BASE, corruptRatio: 0.01, duplicateRatio: 0.02, seed: 12 }],
  ['many corrupt bodies and duplicates (of duplicates too)', { ...BASE, corruptRatio: 0.3, duplicateRatio: 0.4, seed: 7 }],
  ['IoT Hub mode with attacks', { ...BASE, corruptRatio: 0.1, duplicateRatio: 0.2, seed: 99, iotHub: { spoofRatio: 0.1, moduleRatio: 0.05, nonTelemetryRatio: 0.1 } }],
];

describe('compact sent records (telemetry kept as JSON text, no body kept: bodies and records made again from compact columns)', () => {
  it.each(CASES)('give the record file, bodies and audit inputs of the plain records, for the same seed: %s', async (_name, options) => {
    const now = (i: number): number => options.startTime + 1_000 + Math.floor(i / 7);
    const legacy = legacyEvents(options, 3_000, now);
    const scenario = new ScenarioEvents(options);
    const compact = Array.from({ length: 3_000 }, (_, i) => scenario.next(now(i))).flat();
    expect(compact.length).toBe(legacy.length);
    expect(legacy.some((e) => e.record.duplicateOf !== undefined && e.record.kind === 'corrupt')).toBe(true);
    // The record file's lines (ndjson of SentEvent), key order included.
    expect(compact.map((e) => JSON.stringify(e.record))).toEqual(legacy.map((e) => JSON.stringify(e.record)));
    // The bodies sent, duplicates included (a duplicate's body is made again from its original).
    compact.forEach((e, i) => expect(e.body.equals(legacy[i]!.body)).toBe(true));
    compact.forEach((e, i) => expect(scenario.bodyOf(i).equals(legacy[i]!.body)).toBe(true));
    // What the audit reads: every field, telemetry as an object.
    // The records kept for the run (made again from the scenario's columns): the same lines, every field, telemetry as an object.
    const records = scenario.records();
    expect(records.map((r) => JSON.stringify(r))).toEqual(legacy.map((e) => JSON.stringify(e.record)));
    expect(records.map((r) => ({ ...r, telemetry: r.telemetry }))).toEqual(legacy.map((e) => ({ telemetry: undefined, ...e.record })));
    expect(JSON.stringify(scenario.record(legacy.length - 1))).toBe(JSON.stringify(legacy.at(-1)!.record));
    expect((await scenario.recordsInSteps(97)).map((r) => JSON.stringify(r))).toEqual(legacy.map((e) => JSON.stringify(e.record)));
  });

  it('copies with changes keep the telemetry (a spread would drop it) and are plain spreads for plain records', () => {
    const scenario = new ScenarioEvents({ ...BASE, corruptRatio: 0, duplicateRatio: 0, seed: 3 });
    const record = scenario.next(5)[0]!.record;
    expect(({ ...record } as SentEvent).telemetry).toBeUndefined();
    const moved = withChanges(record, { index: 40, duplicateOf: 2 });
    expect(moved).toBeInstanceOf(SentRecord);
    expect(moved.telemetry).toEqual(record.telemetry);
    expect(JSON.parse(JSON.stringify(moved))).toEqual({ ...JSON.parse(JSON.stringify(record)), index: 40, duplicateOf: 2 });
    expect(record.index).toBe(0);
    const plain: SentEvent = JSON.parse(JSON.stringify(record));
    expect(withChanges(plain, { index: 9 })).toEqual({ ...plain, index: 9 });
  });
});
