import type { SourceEvent } from '@telemetry/contracts';
import type { Telemetry } from '@telemetry/device-state';
import { ScenarioEvents, seededRandom } from '@telemetry/simulator';

export interface GeneratedBatch {
  events: SourceEvent[];
  valid: Telemetry[];
  /** Sequence numbers of the events that must be dead-lettered, with the expected code. */
  bad: Map<number, string>;
}

const BASE = Date.parse('2026-11-21T22:00:00Z');

/**
 * A batch the way at-least-once delivery produces it, from the simulator's own scenario: `count`
 * distinct events over `devices` drones, `duplicateRatio` resends, `badRatio` corrupt bodies of
 * every kind the simulator injects, all shuffled. Deterministic for a seed.
 */
export function generateBatch(opts: { count: number; devices: number; duplicateRatio: number; badRatio: number; seed: number }): GeneratedBatch {
  const scenario = new ScenarioEvents({ devices: opts.devices, keyFrameEvery: 5, corruptRatio: opts.badRatio, duplicateRatio: opts.duplicateRatio, seed: opts.seed, startTime: BASE });
  const delivered = Array.from({ length: opts.count }, () => scenario.next(BASE)).flat();
  // Reordering across the batch (a rebalance, retries): a shuffle of its own seed.
  const random = seededRandom(opts.seed + 0x9e3779b9);
  for (let i = delivered.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [delivered[i], delivered[j]] = [delivered[j]!, delivered[i]!];
  }
  const bad = new Map<number, string>();
  const events = delivered.map(({ record, body }, i): SourceEvent => {
    if (record.kind === 'corrupt') bad.set(1000 + i, record.expectedCode!);
    return {
      body, partitionId: '0', sequenceNumber: 1000 + i, offset: String(4096 * i),
      enqueuedTimeUtc: new Date(BASE + 700_000 + i).toISOString(), partitionKey: record.deviceId, properties: { source: 'test' },
    };
  });
  const valid = scenario.produced.filter((e) => e.record.kind === 'valid' && e.record.duplicateOf === undefined).map((e) => e.record.telemetry!);
  return { events, valid, bad };
}
