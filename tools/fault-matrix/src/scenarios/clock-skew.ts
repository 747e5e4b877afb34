import { DEFAULT_MAX_CLOCK_SKEW_SECONDS, type Telemetry } from '@telemetry/device-state';
import { DroneFleet, seededRandom, type SentEvent } from '@telemetry/simulator';
import { applyClockRule } from '../clock-rule';
import type { FaultScenario, ScenarioContext } from '../fault-scenario';
import { sendEvents } from '../send-events';
import { concatRuns, rateOver, simulateLoad } from './load';

const HOUR = 3_600_000;
const LIMIT_MS = DEFAULT_MAX_CLOCK_SKEW_SECONDS * 1000;

/**
 * The clocks of the skewed devices, relative to real time (ms), on both sides of the product's
 * threshold (MAX_CLOCK_SKEW_SECONDS, 300 s): hours ahead and just past the limit (refused), just
 * inside it (applied), hours behind (applied: an old reading loses merges but is not refused), a
 * clock reset to before 2000 (refused by the floor), and one reset to an RTC's default of
 * 2000-01-01 counting on from there (refused: decades behind, past MAX_EVENT_AGE_SECONDS). Each is far enough from the threshold that
 * send latency and the fleet's own clock drift cannot move an event across it.
 */
export const CLOCK_SKEWS: { name: string; offsetMs: (now: number) => number; refused: boolean }[] = [
  { name: 'ahead-6h', offsetMs: () => 6 * HOUR, refused: true },
  { name: 'ahead-2h', offsetMs: () => 2 * HOUR, refused: true },
  { name: 'ahead-9min', offsetMs: () => LIMIT_MS + 240_000, refused: true },
  { name: 'ahead-2min', offsetMs: () => LIMIT_MS - 180_000, refused: false },
  { name: 'behind-3h', offsetMs: () => -3 * HOUR, refused: false },
  { name: 'behind-9h', offsetMs: () => -9 * HOUR, refused: false },
  { name: 'reset-1999', offsetMs: (now) => Date.UTC(1999, 11, 31) - now, refused: true },
  { name: 'reset-2000', offsetMs: (now) => Date.UTC(2000, 0, 1) - now, refused: true },
];

/** Telemetry of `devices` drones whose clocks run at an offset, one skew class per device in turn (`skew-<class>-NNN`). */
function skewedEvents(ctx: ScenarioContext, count: number, devices: number): { deviceId: string; body: Buffer; kind: 'valid'; telemetry: Telemetry }[] {
  const now = Date.now();
  const fleet = new DroneFleet({ devices, keyFrameEvery: 10, random: seededRandom(ctx.seed + 7), startTime: now });
  return Array.from({ length: count }, () => {
    const t = fleet.next();
    const n = Number(t.deviceId.slice('drone-'.length));
    const skew = CLOCK_SKEWS[n % CLOCK_SKEWS.length]!;
    const telemetry = { ...t, deviceId: `skew-${skew.name}-${String(n).padStart(3, '0')}`, timestamp: new Date(Date.parse(t.timestamp) + skew.offsetMs(now)).toISOString() };
    return { deviceId: telemetry.deviceId, body: Buffer.from(JSON.stringify(telemetry)), kind: 'valid' as const, telemetry };
  });
}

/**
 * Device clock skew: 1% of the devices (at least one per skew class) have clocks hours ahead or
 * behind, on both sides of the threshold, and send as often as the others, among the fleet's
 * normal load. Ingestion must refuse exactly what the rule refuses (dead letter EVENT_CLOCK_SKEW,
 * parked by the reprocessor as bad input, nothing lost) and apply the rest; the audit's model
 * applies the same rule, so a refused event that got applied, or an applied one that was refused,
 * is a lost event or a device that differs from the model.
 */
export const clockSkew: FaultScenario = {
  id: 'clock-skew',
  title: 'device clock skew (1% of devices hours ahead or behind)',
  async run(ctx) {
    const normalDevices = Math.max(20, Math.round(ctx.size / 100));
    const skewDevices = Math.max(CLOCK_SKEWS.length, Math.round(normalDevices / 100));
    const skewCount = skewDevices * Math.round(ctx.size / normalDevices);
    const normalCount = ctx.size;
    const d = ctx.matrix.descriptor.eventHubs;
    const seconds = ctx.loadSeconds;
    const [normal, skewed] = await Promise.all([
      simulateLoad(ctx, { count: normalCount, rate: rateOver(normalCount, seconds) }),
      sendEvents(skewedEvents(ctx, skewCount, skewDevices), { connectionString: d.connectionString, hubName: d.hubName, rate: rateOver(skewCount, seconds), batchSize: 10 }),
    ]);
    const sent: SentEvent[] = concatRuns(normal, skewed);
    const rule = applyClockRule(sent);
    const refusedBodies = new Set(rule.events.filter((e) => e.expectedCode === 'EVENT_CLOCK_SKEW').map((e) => e.sha256));
    const bySkew = Object.fromEntries(CLOCK_SKEWS.map((s) => [s.name, skewed.filter((e) => e.deviceId.startsWith(`skew-${s.name}-`)).length]));
    const facts = {
      devices: normalDevices + skewDevices,
      skewedDevices: skewDevices,
      skewedEvents: skewed.length,
      eventsBySkew: bySkew,
      refusedByModel: rule.refused,
      thresholdSeconds: DEFAULT_MAX_CLOCK_SKEW_SECONDS,
    };
    return {
      sent,
      facts,
      expectations: (audit) => {
        const failures: string[] = [];
        if (rule.ambiguous.length > 0) failures.push(`${rule.ambiguous.length} events within a minute of the threshold: the model cannot tell their fate`);
        for (const s of CLOCK_SKEWS) {
          const events = skewed.filter((e) => e.deviceId.startsWith(`skew-${s.name}-`));
          if (events.length === 0) failures.push(`no event sent with the skew ${s.name}`);
          const refusedHere = events.filter((e) => refusedBodies.has(e.sha256)).length;
          if (s.refused ? refusedHere !== events.length : refusedHere !== 0) failures.push(`the model refuses ${refusedHere} of ${events.length} ${s.name} events; the class says ${s.refused ? 'all' : 'none'}`);
        }
        const parkedSkew = audit.parkedByCode['EVENT_CLOCK_SKEW'] ?? 0;
        // One letter per refused event (a letter's id derives from the event's partition and sequence number).
        if (parkedSkew !== rule.refused) failures.push(`${rule.refused} events refused by the rule, ${parkedSkew} letters parked with EVENT_CLOCK_SKEW`);
        return failures;
      },
    };
  },
};
