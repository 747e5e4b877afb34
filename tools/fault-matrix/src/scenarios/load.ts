import { waitUntil } from '@telemetry/local-services';
import { stackMetrics } from '@telemetry/local-stack';
import { DroneFleet, seededRandom, simulate, withChanges, type SentEvent } from '@telemetry/simulator';
import { sendEvents, type SendOptions } from '../send-events';
import type { ScenarioContext } from '../fault-scenario';

export interface LoadOptions {
  count: number;
  /** events/s; 0 = as fast as possible. */
  rate: number;
  corruptRatio?: number;
  duplicateRatio?: number;
  seed?: number;
}

/** The simulator's drone fleet against the stack: ~100 events per device, 1% corrupt, 2% duplicated by default. */
export async function simulateLoad(ctx: ScenarioContext, o: LoadOptions): Promise<SentEvent[]> {
  const d = ctx.matrix.descriptor.eventHubs;
  const { events } = await simulate({
    connectionString: d.connectionString, hubName: d.hubName,
    devices: Math.max(20, Math.round(o.count / 100)), count: o.count, rate: o.rate, keyFrameEvery: 10,
    corruptRatio: o.corruptRatio ?? 0.01, duplicateRatio: o.duplicateRatio ?? 0.02, seed: o.seed ?? ctx.seed,
  });
  return events;
}

/** One record of several sends: indexes (and duplicate references) renumbered to follow each other. */
export function concatRuns(...runs: SentEvent[][]): SentEvent[] {
  const out: SentEvent[] = [];
  for (const run of runs) {
    const offset = out.length;
    for (const e of run) out.push(offset === 0 ? e : withChanges(e, { index: e.index + offset, ...(e.duplicateOf !== undefined ? { duplicateOf: e.duplicateOf + offset } : {}) }));
  }
  return out;
}

/** Events/s that spread `count` events over `seconds`. */
export const rateOver = (count: number, seconds: number): number => Math.max(1, Math.ceil(count / Math.max(1, seconds)));

/** Waits until the ingestion instances have completed this many deliveries in the scenario. */
export async function waitForDeliveries(ctx: ScenarioContext, count: number, timeoutMs = 300_000): Promise<void> {
  await waitUntil(
    async () => {
      await ctx.deliveries.refresh(ctx.matrix.ingestion);
      return ctx.deliveries.total() >= count;
    },
    { timeoutMs, intervalMs: 250, description: `${count} deliveries to the ingestion function` },
  );
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface Outage {
  start(): Promise<void> | void;
  end(): Promise<void> | void;
  /**
   * What the outage must cause (e.g. a STORE_* dead letter): it lasts its length and, past that,
   * until this holds (bounded), so a loaded machine that is slow to meet it still does.
   */
  hasHit?: () => Promise<boolean>;
}

/** How long an outage may outlast its length waiting for `hasHit` (ms). */
const OUTAGE_EXTENSION_MS = 120_000;

/** STORE_* dead letters ingestion has written so far (its metrics snapshot, rewritten every 2 s). */
export async function storeLettersWritten(ctx: ScenarioContext): Promise<number> {
  const s = await stackMetrics(ctx.matrix.stack);
  return s.counters.filter((c) => c.name === 'telemetry.events.deadlettered' && (c.attributes['code'] ?? '').startsWith('STORE_')).reduce((n, c) => n + c.value, 0);
}

/**
 * Valid events on drones of their own (`<prefix>-NNNNN`, at least `minDevices` of them), so no
 * newer event of the same device makes them a no-op (the simulator's clock runs ahead of the wall
 * clock, so a second simulate() on the same drones would send events older than what is stored).
 */
export async function freshDevicesLoad(
  ctx: ScenarioContext,
  o: { count: number; seconds: number; prefix: string; seedOffset: number; minDevices?: number; send?: Pick<SendOptions, 'retryOptions' | 'resend'> },
): Promise<SentEvent[]> {
  const fleet = new DroneFleet({ devices: Math.max(o.minDevices ?? 10, Math.round(o.count / 100)), keyFrameEvery: 10, random: seededRandom(ctx.seed + o.seedOffset), startTime: Date.now() });
  const events = Array.from({ length: o.count }, () => {
    const t = fleet.next();
    const telemetry = { ...t, deviceId: t.deviceId.replace('drone-', `${o.prefix}-`) };
    return { deviceId: telemetry.deviceId, body: Buffer.from(JSON.stringify(telemetry)), kind: 'valid' as const, telemetry };
  });
  const d = ctx.matrix.descriptor.eventHubs;
  return sendEvents(events, { connectionString: d.connectionString, hubName: d.hubName, rate: rateOver(o.count, o.seconds), batchSize: 10, ...o.send });
}

/** Events that must be written during an outage (`outage-NNNNN` drones). */
export const trickleLoad = (ctx: ScenarioContext, count: number, seconds: number): Promise<SentEvent[]> =>
  freshDevicesLoad(ctx, { count, seconds, prefix: 'outage', seedOffset: 1 });

/**
 * Load around an outage, sized so the reprocessor's work stays bounded: 45% of the events at full
 * speed; the outage begins once ingestion is close behind (42% delivered) so it hits a working
 * pipeline with a backlog in flight; 3% trickle in during the outage (devices of their own, so each
 * needs a write); the rest follow right after.
 */
export async function loadAroundOutage(ctx: ScenarioContext, outage: Outage, o: { corruptRatio?: number } = {}): Promise<SentEvent[]> {
  const before = Math.round(ctx.size * 0.45);
  const during = Math.max(20, Math.round(ctx.size * 0.03));
  const after = Math.max(0, ctx.size - before - during);
  const first = await simulateLoad(ctx, { count: before, rate: rateOver(before, ctx.loadSeconds / 2), ...o });
  await waitForDeliveries(ctx, Math.round(ctx.size * 0.42));
  await outage.start();
  const startedAt = Date.now();
  const trickle = await trickleLoad(ctx, during, ctx.outageMs / 1000);
  await sleep(ctx.outageMs - (Date.now() - startedAt));
  if (outage.hasHit) {
    // Past the bound the outage ends anyway: the scenario's expectation then reports what is missing.
    await waitUntil(outage.hasHit, { timeoutMs: OUTAGE_EXTENSION_MS, intervalMs: 500, description: 'the outage to reach ingestion' })
      .catch(() => ctx.log(`the outage had not reached ingestion ${OUTAGE_EXTENSION_MS / 1000} s past its length`));
  }
  await outage.end();
  const rest = await simulateLoad(ctx, { count: after, rate: rateOver(after, ctx.loadSeconds / 2), seed: ctx.seed + 2, ...o });
  return concatRuns(first, trickle, rest);
}
