import type { SourceEvent } from '@telemetry/dead-letter';
import type { Telemetry } from '@telemetry/device-state';

export interface GeneratedBatch {
  events: SourceEvent[];
  valid: Telemetry[];
  /** Sequence numbers of the events that must be dead-lettered, with the expected code. */
  bad: Map<number, string>;
}

const BASE = Date.parse('2026-11-21T22:00:00Z');

/**
 * A batch the way at-least-once delivery produces it: `count` distinct events over `devices`
 * devices, `duplicateRatio` of them delivered twice, `badRatio` bad events of every kind, all
 * shuffled. Deterministic for a seed.
 */
export function generateBatch(opts: { count: number; devices: number; duplicateRatio: number; badRatio: number; seed: number }): GeneratedBatch {
  // mulberry32: a tiny seeded PRNG, uniform enough for spreading events over devices
  let state = opts.seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = (n: number): number => Math.floor(next() * n);
  const bodies: { body: Buffer; telemetry?: Telemetry; bad?: string; key: string }[] = [];
  const badKinds: [string, (deviceId: string, ts: string) => Buffer][] = [
    ['EVENT_MALFORMED', (d, ts) => Buffer.from(`{"deviceId":"${d}","timestamp":"${ts}",`)],
    ['EVENT_INVALID', (d, ts) => Buffer.from(JSON.stringify({ deviceId: d, timestamp: ts, battery: 7 }))],
    ['EVENT_INVALID', (d) => Buffer.from(JSON.stringify({ deviceId: d, timestamp: 'yesterday' }))],
    ['EVENT_INVALID', (d, ts) => Buffer.from(JSON.stringify({ deviceId: d, timestamp: ts, flightMode: 'hover' }))],
    ['EVENT_OVERSIZE', (d, ts) => Buffer.from(JSON.stringify({ deviceId: d, timestamp: ts, blob: 'x'.repeat(70_000) }))],
    ['EVENT_ENCODING', () => Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d])],
  ];
  for (let i = 0; i < opts.count; i++) {
    const deviceId = `drone-${String(pick(opts.devices)).padStart(5, '0')}`;
    const ts = new Date(BASE + pick(600_000)).toISOString();
    if (next() < opts.badRatio) {
      const [code, make] = badKinds[i % badKinds.length]!;
      bodies.push({ body: make(deviceId, ts), bad: code, key: deviceId });
      continue;
    }
    const t: Telemetry = { deviceId, timestamp: ts };
    if (next() < 0.5) t.battery = Math.round(next() * 100) / 100;
    if (next() < 0.3) t.flightMode = pick(8);
    if (next() < 0.5) t.position = { latitude: next() * 180 - 90, longitude: next() * 360 - 180, altitude: Math.round(next() * 1000) };
    if (next() < 0.2) t.health = { gyrometerOK: next() < 0.9, accelerometerOK: next() < 0.9, magnetometerOK: next() < 0.9 };
    bodies.push({ body: Buffer.from(JSON.stringify({ ...t, firmware: '1.2.3' })), telemetry: t, key: deviceId });
  }
  const delivered = [...bodies];
  for (const b of bodies) if (!b.bad && next() < opts.duplicateRatio) delivered.push(b);
  for (let i = delivered.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
  }
  const bad = new Map<number, string>();
  const events = delivered.map((b, i): SourceEvent => {
    if (b.bad) bad.set(1000 + i, b.bad);
    return {
      body: b.body, partitionId: '0', sequenceNumber: 1000 + i, offset: String(4096 * i),
      enqueuedTimeUtc: new Date(BASE + 700_000 + i).toISOString(), partitionKey: b.key, properties: { source: 'test' },
    };
  });
  return { events, valid: bodies.filter((b) => b.telemetry).map((b) => b.telemetry!), bad };
}
