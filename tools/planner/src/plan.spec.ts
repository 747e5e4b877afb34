import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pointReadRu, ruPerEvent, writeRu } from './cosmos-charges';
import { readMeasured, type Measured } from './measured';
import { plan, type PlanInput } from './plan';
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

  it('a window longer than the interval between a device\'s events folds them into one write, on the partitions it needs', () => {
    // 1,000 devices at 1 event/s each; window 5 s. A partition is cut at 160 events, so holding 5 s
    // takes 1,000 x 5 / 160 = 31.25 -> 32 partitions (more than max(4, 1 TU, 2 x 1 instance) = 4).
    const p = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 5 }), measured);
    expect(p.eventHubs.partitions).toBe(32);
    // 160 x 32 / 1,000 = 5.12 s >= 5: the window holds. Each device writes once per 5 s -> 200 writes/s = 0.2 per event.
    expect(p.window).toEqual({ seconds: 5, holdsSeconds: 5, partitionsToHold: 32, batchCap: 160 });
    expect(p.cosmos.writesPerSecond).toBe(200);
    expect(p.cosmos.writesPerEvent).toBe(0.2);
    // RU per event: 0.2 x 5 = 1 against the reference pattern's 1 + 5 = 6.
    expect(p.cosmos.ruPerEvent.product).toBeCloseTo(1, 10);
    // One batch per partition per 5 s: 32 / 5 = 6.4 batches (and checkpoints) per second.
    expect(p.functions.batchesPerSecond).toBe(6.4);
    expect(p.warnings).toEqual([]);
  });

  it('devices sending at random times write (1 - e^-x) times per span: more than periodic ones when a span holds several of their events, fewer when it holds less than one', () => {
    // Same load as above, random arrivals: x = 5 s x 1 event/s = 5 events expected per device per span;
    // a device writes in a span with probability 1 - e^-5 = 0.993262...: 1,000 x 0.993262 / 5 = 198.652 writes/s.
    const p = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 5, arrivals: 'random' }), measured);
    expect(p.cosmos.writesPerSecond).toBe(198.65);
    expect(p.cosmos.writesPerEvent).toBe(0.1987);
    // The bench's shortest span for 0.2 writes/event (computed there: 4.965 s) gives 0.2 here too.
    const edge = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 4.965, arrivals: 'random' }), measured);
    expect(edge.cosmos.writesPerEvent).toBe(0.2);
    // A window shorter than the interval between a device's events: x = 5 x 0.1 = 0.5; 100 x (1 - e^-0.5) / 5 = 7.869 writes/s,
    // fewer than periodic devices (10/s: events 10 s apart never share a 5 s span) because random ones sometimes do.
    expect(plan(input({ eventsPerSecond: 10, devices: 100, windowSeconds: 5, arrivals: 'random' }), measured).cosmos.writesPerSecond).toBe(7.87);
    // No window: the measured rate either way.
    expect(plan(input({ arrivals: 'random' }), measured).cosmos.writesPerSecond).toBe(plan(input({}), measured).cosmos.writesPerSecond);
  });

  it('a window the batch cap cannot hold on Standard\'s 32 partitions folds only what it holds, and says so', () => {
    // Window 10 s at 1,000 events/s needs 1,000 x 10 / 160 = 62.5 -> 63 partitions; Standard stops at 32,
    // so a partition (31.25 events/s) fills 160 events in 5.12 s: 1,000 / 5.12 = 195.3125 writes/s.
    const p = plan(input({ eventsPerSecond: 1000, devices: 1000, windowSeconds: 10 }), measured);
    expect(p.window).toEqual({ seconds: 10, holdsSeconds: 5.12, partitionsToHold: 63, batchCap: 160 });
    expect(p.cosmos.writesPerSecond).toBe(195.31);
    expect(p.warnings.join('\n')).toMatch(/the 10 s window holds only 5\.12 s: 32 partitions at 31\.25 events\/s each fill a 160-event batch first; holding it needs 63 partitions/);
  });

  it('at 100,000 events/s a window saves nothing: every partition fills its batch in a fraction of a second', () => {
    // Partitions max(4, 100 TUs, 2 x 40 instances) = 100; a partition gets 1,000 events/s and fills 160 in 0.16 s,
    // shorter than the 1 s between a device's events: 100,000 / max(0.16, 1) = 100,000 writes/s, the no-window rate.
    const p = plan(input({ eventsPerSecond: 100_000, devices: 100_000, eventBytes: 300, windowSeconds: 10 }), measured);
    expect(p.eventHubs.partitions).toBe(100);
    expect(p.window.holdsSeconds).toBe(0.16);
    expect(p.cosmos.writesPerSecond).toBe(100_000);
    expect(p.warnings.join('\n')).toMatch(/holding it needs 6250 partitions/);
  });

  it('a window shorter than the interval between a device\'s events saves nothing', () => {
    // 100 devices at 10 events/s in all: each device every 10 s; window 5 s: min(10 x 1, 100 / max(5, 10)) = 10 writes/s.
    const p = plan(input({ eventsPerSecond: 10, devices: 100, windowSeconds: 5 }), measured);
    expect(p.cosmos.writesPerSecond).toBe(10);
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
