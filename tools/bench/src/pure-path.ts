import { coalesce, decodeTelemetry, type DecodedTelemetry } from '@telemetry/device-state';
import { DroneFleet, seededRandom } from '@telemetry/simulator';

export interface PurePathResult {
  events: number;
  batchSize: number;
  /** Decode + validate + coalesce, events per CPU-second (median of the rounds). */
  eventsPerSecond: number;
  /** A bare UTF-8 decode + JSON.parse of the same buffers, in the same process (median of the rounds). */
  bareParseEventsPerSecond: number;
  /** Median over rounds of pure / bare (each round's two runs back to back). */
  ratio: number;
  /** Each round's pair (pure first in even rounds, bare first in odd ones). */
  rounds: { pure: number; bare: number }[];
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};

/**
 * The pure path on one core: decode + validate + coalesce of realistic drone events (key frames
 * and partial frames), in batches as the trigger delivers them, against the floor any decoder
 * pays: a bare UTF-8 decode + JSON.parse of the same buffers. No I/O. Rates are events per
 * CPU-second of this process (process.cpuUsage: the garbage collector's threads included), so time
 * the shared machine gives to others does not count; the two alternate in rounds (the order too)
 * and medians are reported.
 */
export function benchPurePath(options: { events: number; devices: number; batchSize: number; rounds?: number }): PurePathResult {
  const random = seededRandom(1);
  const fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: 10, random, startTime: Date.parse('2026-11-21T22:00:00Z') });
  const bodies = Array.from({ length: Math.min(options.events, 50_000) }, () => Buffer.from(JSON.stringify(fleet.next())));
  const timed = (n: number, step: (body: Buffer, batch: unknown[]) => void, flush: (batch: unknown[]) => void): number => {
    const started = process.cpuUsage();
    let done = 0;
    while (done < n) {
      const batch: unknown[] = [];
      for (let i = 0; i < options.batchSize && done < n; i++, done++) step(bodies[done % bodies.length]!, batch);
      flush(batch);
    }
    const used = process.cpuUsage(started);
    return n / ((used.user + used.system) / 1e6);
  };
  const pure = (n: number) => timed(n, (body, batch) => batch.push(decodeTelemetry(body)), (batch) => coalesce(batch as DecodedTelemetry[]));
  let sink = 0;
  const bare = (n: number) => timed(n, (body, batch) => batch.push(JSON.parse(body.toString('utf8'))), (batch) => { sink += batch.length; });
  // Warm-up: JIT and the schema's compiled paths.
  pure(Math.min(options.events, 50_000));
  bare(Math.min(options.events, 50_000));
  const perRound = Math.ceil(options.events / (options.rounds ?? 5));
  // Each round runs both back to back, in alternating order, so neither side always inherits the
  // other's garbage or a warmer cache.
  const rounds = Array.from({ length: options.rounds ?? 5 }, (_, r) => {
    if (r % 2 === 0) {
      const p = pure(perRound);
      return { pure: Math.round(p), bare: Math.round(bare(perRound)) };
    }
    const b = bare(perRound);
    return { pure: Math.round(pure(perRound)), bare: Math.round(b) };
  });
  if (sink < 0) throw new Error('unreachable');
  const eventsPerSecond = median(rounds.map((r) => r.pure));
  const bareParseEventsPerSecond = median(rounds.map((r) => r.bare));
  return {
    events: options.events, batchSize: options.batchSize, eventsPerSecond, bareParseEventsPerSecond,
    ratio: Math.round(median(rounds.map((r) => r.pure / r.bare)) * 100) / 100, rounds,
  };
}
