import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pointReadRu, ruPerEvent, writeRu } from './cosmos-charges';
import { readMeasured, type Measured } from './measured';
import { windowWritesPerEvent } from '@telemetry/contracts';
import { periodicWritesPerEvent, plan, type PlanInput } from './plan';
import { ruPerEventRows } from './ru-per-event-rows';

/** Round figures so each hand calculation below stays checkable on paper. */
const measured: Measured = { date: 'fixture', eventsPerSecondPerInstance: 5000, writesPerEvent: 1, readsPerEvent: 0, backlogWritesPerEvent: 0.1, latencyP50Ms: 50 };
const input = (over: Partial<PlanInput>): PlanInput => ({ eventsPerSecond: 100, devices: 100, eventBytes: 1000, windowSeconds: 0, deadLetterFraction: 0, failureWindowMinutes: 0, ...over });
const MONTH_S = 730 * 3600; // 2,628,000 s

describe('plan: hand-checked figures', () => {
  it('100 events/s from 100 devices, 1,000-byte events, no window', () => {
    const p = plan(input({}), measured);
    // TUs: 100 x 1,000 B = 0.1 MB/s (< 1 MB/s), 100 events/s (< 1,000/s) -> 1.
    expect(p.eventHubs.throughputUnits).toBe(1);
    // Instances: ceil(100 / (5,000 x 0.5)) = ceil(0.04) = 1. Partitions: max(4, 1 TU, 2 x 1) = 4.
    expect(p.functions.instances).toBe(1);
    expect(p.eventHubs.partitions).toBe(4);
    // Batches: min(100 events, max(100 / 100 full batches = 1, 4 partitions x 1,000 / 50 ms = 80)) = 80/s.
    expect(p.functions.batchesPerSecond).toBe(80);
    // Writes: min(100 x 1 measured, 100 devices / max(0, 100/100 = 1 s)) = 100/s; 678 B doc -> 5 RU each -> 500 RU/s.
    expect(p.cosmos.writesPerSecond).toBe(100);
    expect(p.cosmos.ruPerWrite).toBe(5);
    expect(p.cosmos.ruPerSecond).toBe(500);
    // Provisioned: 500 x 1.25 = 625 -> 700 (steps of 100, >= 400).
    expect(p.cosmos.provisionedRuPerSecond).toBe(700);
    // Storage: 100 x 678 B = 67.8 KB -> billed 1 GB.
    expect(p.cosmos.storageGb).toBe(1);
    // Blob: checkpoints 80/s + ownership 4 partitions / 10 s = 0.4/s + host 1 instance / 10 s = 0.1/s.
    expect(p.storage.checkpointWritesPerSecond).toBe(80);
    expect(p.storage.blobWritesPerMonth).toBe(80.5 * MONTH_S); // 211,554,000
    expect(p.storage.deadLettersPerMonth).toBe(0);
    // No window: no watermarks, nothing held, no latency added.
    expect(p.storage.watermarkWritesPerSecond).toBe(0);
    expect(p.window).toMatchObject({ seconds: 0, effectiveSeconds: 0, writesPerEvent: 1, heldMbPerInstance: 0, addedLatencySeconds: 0 });
    // Event Hubs: 1 TU x 730 h x $0.03 = $21.90; ingress 100 x 2,628,000 = 262.8 M events x $0.028 = $7.3584 -> $29.26.
    expect(p.monthlyUsd.eventHubs).toBe(29.26);
    // Functions: 1 x 2 GB x 2,628,000 s = 5,256,000 GB-s - 100,000 free = 5,156,000 x $0.000026 = $134.056;
    // executions 80 x 2,628,000 = 210,240,000 - 250,000 free = 209.99 M x $0.40 = $83.996 -> $218.05.
    expect(p.monthlyUsd.functions).toBe(218.05);
    // Serverless: 500 RU/s x 2,628,000 s = 1,314 M RU x $0.25 = $328.50 + 1 GB x $0.25 = $328.75.
    expect(p.monthlyUsd.cosmosServerless).toBe(328.75);
    // Provisioned: 7 x 100 RU/s x 730 h x $0.008 = $40.88 + $0.25 = $41.13.
    expect(p.monthlyUsd.cosmosProvisioned).toBe(41.13);
    // Storage: Set Blob Metadata is an "other" operation: 21,155.4 x 10k x $0.005 = $105.777; List Blobs
    // 0.1/s x 2,628,000 = 26.28 x 10k x $0.065 = $1.7082 -> $107.49.
    expect(p.monthlyUsd.storage).toBe(107.49);
    // Totals: 29.2584 + 218.052 + 328.75 + 107.4852 = 683.5456; with provisioned 41.13 instead: 395.9256.
    expect(p.monthlyUsd.totalServerless).toBe(683.55);
    expect(p.monthlyUsd.totalProvisioned).toBe(395.93);
    expect(p.warnings).toEqual([]);
  });

  it('a window of 5 s: one write per device per 5 s for periodic devices, the watermarks, the memory held and the latency', () => {
    // 1,000 devices at 1 event/s each (r = 1), 1,000-byte events, window 5 s. Delivery = the measured
    // p50 of 50 ms. Instances ceil(1,000 / 2,500) = 1; partitions max(4, 1 TU, 2 x 1) = 4, as without a window.
    const p = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 5 }), measured);
    expect(p.eventHubs.partitions).toBe(4);
    // x = 1 x (5 - 0.05) = 4.95 events after a device's first within the window; periodic: ceil(4.95) = 5
    // events a write -> 0.2 writes/event (below the measured 1) -> 200 writes/s x 5 RU = 1,000 RU/s;
    // provisioned 1,000 x 1.25 = 1,250 -> 1,300.
    // Held: 1,000 events/s on the one instance x 5 s x (1,000 + 512) B = 7,560,000 B / 1,048,576 = 7.2098 MiB.
    expect(p.window).toEqual({
      seconds: 5, effectiveSeconds: 5, deliverySeconds: 0.05, eventsFoldedPerDevice: 4.95, eventsPerWrite: 5, writesPerEvent: 0.2,
      eventsPerSecondPerInstance: 1000, heldMbPerInstance: 7.21, maxHeldMb: 64, maxHeldMbToHold: 8, instancesToHold: 1,
      addedLatencySeconds: 5, p99LatencySeconds: 5.05,
    });
    expect(p.cosmos.writesPerSecond).toBe(200);
    expect(p.cosmos.writesPerEvent).toBe(0.2);
    expect(p.cosmos.ruPerSecond).toBe(1000);
    expect(p.cosmos.provisionedRuPerSecond).toBe(1300);
    // RU per event: 0.2 x 5 = 1 against the reference pattern's 1 + 5 = 6.
    expect(p.cosmos.ruPerEvent.product).toBeCloseTo(1, 10);
    // The trigger keeps host.json's batching: min(1,000, max(1,000 / 100 = 10, 4 x 1,000 / 50 = 80)) = 80 batches
    // (and checkpoints) per second, as without a window.
    expect(p.functions.batchesPerSecond).toBe(80);
    expect(p.storage.checkpointWritesPerSecond).toBe(80);
    // Watermarks: one per partition per second, min(4, 1,000 events/s) = 4/s x 2,628,000 s = 10,512,000 Put Blobs.
    expect(p.storage.watermarkWritesPerSecond).toBe(4);
    expect(p.storage.watermarkWritesPerMonth).toBe(10_512_000);
    // Storage: "other" (80 + 0.4 + 0.1) x 2,628,000 = 211,554,000 -> 21,155.4 x $0.005 = $105.777; List Blobs 0.1/s
    // -> 26.28 x $0.065 = $1.7082; watermarks 1,051.2 x $0.065 = $68.328 (writes); no dead letters -> $175.8132.
    expect(p.monthlyUsd.storage).toBe(175.81);
    expect(p.warnings).toEqual([]);
  });

  it('random (Poisson) devices: windowWritesPerEvent from @telemetry/contracts, 1 + x events a write, never more writes than periodic ones', () => {
    // Same load, random arrivals: 1 / (1 + 1 x (5 - 0.05)) = 1 / 5.95 = 0.168067...: 168.07 writes/s.
    const p = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 5, arrivals: 'random' }), measured);
    expect(p.window.writesPerEvent).toBe(Math.round(windowWritesPerEvent(5, 1, 0.05) * 1e4) / 1e4);
    expect(p.window.eventsPerWrite).toBe(5.95);
    expect(p.cosmos.writesPerSecond).toBe(168.07);
    expect(p.cosmos.writesPerEvent).toBe(0.1681);
    // A device every 10 s (10 events/s from 100 devices), window 5 s: x = 0.1 x 4.95 = 0.495. Random: 1 / 1.495 =
    // 0.6689 -> 6.69 writes/s; periodic: ceil(0.495) = 1 event a write, nothing folded.
    expect(plan(input({ eventsPerSecond: 10, devices: 100, windowSeconds: 5, arrivals: 'random' }), measured).cosmos.writesPerSecond).toBe(6.69);
    // ceil(x) <= 1 + x: a periodic device's writes are an upper bound of a random one's.
    for (const x of [0, 0.3, 0.999, 1, 4.95, 5, 5.01, 59.95]) expect(periodicWritesPerEvent(x)).toBeGreaterThanOrEqual(1 / (1 + x));
    // ceil(5) = 5 (the 1e-9 keeps 5 + a rounding error at 5), ceil(5.01) = 6; under one event: one write per event.
    expect([periodicWritesPerEvent(5), periodicWritesPerEvent(5 + 1e-12), periodicWritesPerEvent(5.01), periodicWritesPerEvent(0.3), periodicWritesPerEvent(0)]).toEqual([0.2, 0.2, 1 / 6, 1, 1]);
    // No window: the measured rate either way.
    expect(plan(input({ arrivals: 'random' }), measured).cosmos.writesPerSecond).toBe(plan(input({}), measured).cosmos.writesPerSecond);
  });

  it('a window that folds nothing says so; the trigger batch\'s measured fold stays', () => {
    // Periodic devices every 10 s, window 5 s: ceil(0.495) = 1 -> min(1 measured, 1) = 1 x 10 = 10 writes/s, and a warning.
    const p = plan(input({ eventsPerSecond: 10, devices: 100, windowSeconds: 5 }), measured);
    expect(p.cosmos.writesPerSecond).toBe(10);
    expect(p.warnings).toEqual(['the 5 s window saves no Cosmos DB writes: a device sends an event every 10 s, and 0.05 s of the window go to delivery; it only adds latency and watermark writes']);
    // A run that measured 0.95 writes/event (events of a device sharing a trigger batch): a 0.04 s window is spent
    // in delivery (x = 1 x max(0, 0.04 - 0.05) = 0), so 1,000 x 0.95 = 950 writes/s, as with no window; a 5 s
    // window (0.2) takes over from the measured fold.
    const folded = { ...measured, writesPerEvent: 0.95 };
    expect(plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 0.04 }), folded).cosmos.writesPerSecond).toBe(950);
    expect(plan(input({ eventsPerSecond: 1000, devices: 1000 }), folded).cosmos.writesPerSecond).toBe(950);
    expect(plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 5 }), folded).cosmos.writesPerSecond).toBe(200);
  });

  it('past INGESTION_WINDOW_MAX_HELD_MB the window holds only what the bound lasts, and the plan says what would hold it', () => {
    // 100,000 devices at 1 event/s, 300 B, window 60 s: 40 instances (100,000 / 2,500) at 2,500 events/s each hold
    // 2,500 x 60 x (300 + 512) = 121,800,000 B = 116.158 MiB, over 64. The bound lasts 64 x 1,048,576 / (2,500 x 812)
    // = 67,108,864 / 2,030,000 = 33.0585 s: x = 33.0585 - 0.05 = 33.0085 -> ceil 34 events a write -> 100,000 / 34 =
    // 2,941.18 writes/s. Holding it: 117 MB per instance, or ceil(100,000 x 60 x 812 / 67,108,864 = 72.6) = 73 instances.
    const p = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 300, windowSeconds: 60 }), measured);
    expect(p.window).toMatchObject({ effectiveSeconds: 33.059, eventsPerWrite: 34, heldMbPerInstance: 116.16, maxHeldMbToHold: 117, instancesToHold: 73, addedLatencySeconds: 33.059, p99LatencySeconds: 33.109 });
    expect(p.cosmos.writesPerSecond).toBe(2941.18);
    expect(p.warnings).toContain('the 60 s window holds only 33.06 s: 2500 events/s per instance x 60 s x 812 B = 116.2 MB held, over INGESTION_WINDOW_MAX_HELD_MB 64, so invocations wait for the writes; set INGESTION_WINDOW_MAX_HELD_MB to 117 (limit 256), or spread the load over 73 instances');
    // With the bound at 128 MB it holds: ceil(60 - 0.05) = 60 events a write -> 100,000 / 60 = 1,666.67 writes/s.
    const raised = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 300, windowSeconds: 60, maxHeldMb: 128 }), measured);
    expect(raised.window).toMatchObject({ effectiveSeconds: 60, eventsPerWrite: 60, maxHeldMb: 128 });
    expect(raised.cosmos.writesPerSecond).toBe(1666.67);
    expect(raised.warnings.join('\n')).not.toMatch(/window holds only/);
    // 2,000-byte events: 2,500 x 60 x 2,512 = 376,800,000 B = 359.3 MiB per instance, past the 256 MB limit itself:
    // ceil(100,000 x 60 x 2,512 / 67,108,864 = 224.6) = 225 instances.
    const big = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 2000, windowSeconds: 60 }), measured);
    expect(big.warnings.join('\n')).toMatch(/= 359\.3 MB held, over INGESTION_WINDOW_MAX_HELD_MB 64, so invocations wait for the writes; more than the 256 MB limit: spread the load over 225 instances, or shorten the window/);
  });

  it('at 100,000 events/s a 5 s window cuts writes to one per device per 5 s: the write-behind holds per device, not per partition', () => {
    // 100 partitions (max(4, 100 TUs, 2 x 40 instances)); x = 1 x 4.95 -> 5 events a write: 20,000 writes/s x 5 RU
    // = 100,000 RU/s (against 500,000 with the measured 1 write/event and no window). Held per instance: 2,500 x 5
    // x 812 = 10,150,000 B = 9.68 MiB, inside 64. Watermarks: 100 partitions -> 100 Put Blobs/s.
    const p = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 300, windowSeconds: 5 }), measured);
    expect(p.eventHubs.partitions).toBe(100);
    expect(p.cosmos.writesPerSecond).toBe(20_000);
    expect(p.cosmos.ruPerSecond).toBe(100_000);
    expect(p.window.heldMbPerInstance).toBe(9.68);
    expect(p.storage.watermarkWritesPerSecond).toBe(100);
    expect(p.warnings.join('\n')).not.toMatch(/window/);
  });

  it('dead letters: a share of events plus every event of the failure window', () => {
    // 100 events/s x 0.001 x 2,628,000 s = 262,800 + 100 x 10 min x 60 s = 60,000 -> 322,800 letters, 3 queue ops each.
    const p = plan(input({ deadLetterFraction: 0.001, failureWindowMinutes: 10 }), measured);
    expect(p.storage.deadLettersPerMonth).toBe(322_800);
    expect(p.storage.queueOpsPerMonth).toBe(968_400);
  });

  it('100,000 events/s of 300 bytes needs more than Standard and serverless offer, and says so', () => {
    const p = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 300 }), measured);
    // TUs: 30 MB/s -> 30; 100,000 events/s / 1,000 -> 100 (the event count binds).
    expect(p.eventHubs.throughputUnits).toBe(100);
    // Instances: 100,000 / 2,500 = 40; partitions max(4, 100, 80) = 100.
    expect(p.functions.instances).toBe(40);
    expect(p.eventHubs.partitions).toBe(100);
    // 100,000 writes/s x 5 RU = 500,000 RU/s.
    expect(p.cosmos.ruPerSecond).toBe(500_000);
    expect(p.warnings.join('\n')).toMatch(/100 TUs exceed Standard's 40/);
    expect(p.warnings.join('\n')).toMatch(/100 partitions exceed Standard's 32/);
    expect(p.warnings.join('\n')).toMatch(/exceed serverless's 5000 RU\/s/);
  });
});

describe('RU per event from documented charges', () => {
  it('charges by document size follow the documented points', () => {
    // Documented: 1 KB read 1 RU, write ~5 RU; 100 KB read 10 RU, write ~50 RU.
    expect([pointReadRu(678), writeRu(678)]).toEqual([1, 5]);
    expect([pointReadRu(1024), writeRu(1024)]).toEqual([1, 5]);
    expect([pointReadRu(100 * 1024), writeRu(100 * 1024)]).toEqual([10, 50]);
    // 2 KB: 5 + 1 x 45 / 99 = 5.4545...
    expect(writeRu(2048)).toBeCloseTo(5 + 45 / 99, 10);
  });

  it('the measured counts of the last bench run against one read + one upsert per event', () => {
    const file = path.join(__dirname, '..', '..', '..', 'docs', 'benchmarks.json');
    const m = readMeasured(file);
    const json = JSON.parse(readFileSync(file, 'utf8')) as { results: { referenceProfile: { storeWritesPerEvent: number; storeReadsPerEvent: number } } };
    expect(m.writesPerEvent).toBe(json.results.referenceProfile.storeWritesPerEvent);
    // Reference profile, run of 2026-11-22: 0 reads x 1 + 0.95 writes x 5 = 4.75 RU/event against 1 + 5 = 6 -> 0.79.
    const r = ruPerEvent({ readsPerEvent: 0, writesPerEvent: 0.95 });
    expect(r.product).toBeCloseTo(4.75, 10);
    expect(r.reference).toBe(6);
    expect(r.ratio).toBeCloseTo(4.75 / 6, 10);
    // Backlog drain: 0.088 x 5 = 0.44 RU/event.
    expect(ruPerEvent({ readsPerEvent: 0, writesPerEvent: 0.088 }).product).toBeCloseTo(0.44, 10);
    // A read counts 1 RU: 0.1 reads + 0.5 writes = 0.1 + 2.5 = 2.6.
    expect(ruPerEvent({ readsPerEvent: 0.1, writesPerEvent: 0.5 }).product).toBeCloseTo(2.6, 10);
  });
});

describe('RU per event as bench rows', () => {
  it('from the measured figures of a run', () => {
    const rows = ruPerEventRows({ ...measured, writesPerEvent: 0.95, readsPerEvent: 0, backlogWritesPerEvent: 0.088 });
    const value = (name: string): number | undefined => rows.find((r) => r.name === name)?.value;
    // 0.95 x 5 = 4.75; reference 1 + 5 = 6; 4.75 / 6 = 0.7917 -> 0.79; backlog 0.088 x 5 = 0.44, / 6 = 0.0733 -> 0.07.
    expect(value('RU per event (reference profile)')).toBe(4.75);
    expect(value('RU per event, reference implementation pattern (1 read + 1 upsert)')).toBe(6);
    expect(value('RU per event / reference pattern (reference profile)')).toBe(0.79);
    expect(value('RU per event (backlog drain)')).toBe(0.44);
    expect(value('RU per event / reference pattern (backlog drain)')).toBe(0.07);
  });
});
