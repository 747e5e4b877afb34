import { coalesce, decodeTelemetry, type DecodedTelemetry } from '@telemetry/device-state';
import { DroneFleet, seededRandom } from '@telemetry/simulator';

export interface PurePathResult {
  events: number;
  eventsPerSecond: number;
  batchSize: number;
}

/**
 * The pure path on one core: decode + validate + coalesce of realistic drone events (key frames
 * and partial frames), in batches as the trigger delivers them. No I/O.
 */
export function benchPurePath(options: { events: number; devices: number; batchSize: number }): PurePathResult {
  const random = seededRandom(1);
  const fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: 10, random, startTime: Date.parse('2026-11-21T22:00:00Z') });
  const bodies = Array.from({ length: Math.min(options.events, 50_000) }, () => Buffer.from(JSON.stringify(fleet.next())));
  const run = (n: number): number => {
    const started = process.hrtime.bigint();
    let done = 0;
    while (done < n) {
      const batch: DecodedTelemetry[] = [];
      for (let i = 0; i < options.batchSize && done < n; i++, done++) batch.push(decodeTelemetry(bodies[done % bodies.length]));
      coalesce(batch);
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  };
  run(Math.min(options.events, 50_000)); // warm-up: JIT and the schema's compiled paths
  const seconds = run(options.events);
  return { events: options.events, eventsPerSecond: Math.round(options.events / seconds), batchSize: options.batchSize };
}
