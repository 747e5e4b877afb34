import { silentLogger } from '@telemetry/core';
import { InMemoryMetrics } from '@telemetry/observability';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { InMemoryDeadLetterSink } from '@telemetry/dead-letter/testing';
import type { SourceEvent } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import { OrphanedWatermarks, WriteBehind, type PartitionReplay, type Watermark, type WatermarkStore } from './write-behind';

const BASE = Date.parse('2026-11-21T22:00:00.000Z');

/** The hub's partition log: what a replay reads again. */
class Log implements PartitionReplay {
  readonly events: SourceEvent[] = [];
  reads: Array<[number, number]> = [];
  /** Fails a read after this many chunks (an invocation that timed out). */
  failAfterChunks = Number.POSITIVE_INFINITY;
  append(device: number, second: number, extra: Record<string, unknown> = {}, body?: string): SourceEvent {
    const seq = this.events.length;
    const e: SourceEvent = {
      body: Buffer.from(body ?? JSON.stringify(makeTelemetry(device, second, extra))),
      partitionId: '0', sequenceNumber: seq, offset: String(seq * 100),
      enqueuedTimeUtc: new Date(BASE + second * 1000).toISOString(), partitionKey: null, properties: {},
    };
    this.events.push(e);
    return e;
  }
  async read(partitionId: string, after: number, before: number, onEvents: (events: SourceEvent[]) => Promise<void>): Promise<void> {
    this.reads.push([after, before]);
    const slice = this.events.filter((e) => e.partitionId === partitionId && e.sequenceNumber > after && e.sequenceNumber < before);
    for (let i = 0, chunks = 0; i < slice.length; i += 2, chunks++) {
      if (chunks >= this.failAfterChunks) throw new Error('read timed out');
      await onEvents(slice.slice(i, i + 2));
    }
  }
}

class Marks implements WatermarkStore {
  readonly marks = new Map<string, Watermark>();
  private version = 0;
  down = false;
  async read(p: string) {
    if (this.down) throw new Error('storage down');
    return this.marks.get(p);
  }
  async write(p: string, sequenceNumber: number, etag: string | undefined, options: { retired?: boolean } = {}) {
    if (this.down) throw new Error('storage down');
    if (this.marks.get(p)?.etag !== etag) return 'conflict' as const;
    const next = `v${++this.version}`;
    this.marks.set(p, { sequenceNumber, etag: next, ...(options.retired ? { retired: true } : {}) });
    return next;
  }
}

/** An event of any partition (the Log above is partition 0's). */
const ev = (partitionId: string, seq: number, device: number, second: number, extra: Record<string, unknown> = {}): SourceEvent => ({
  body: Buffer.from(JSON.stringify(makeTelemetry(device, second, extra))), partitionId, sequenceNumber: seq, offset: String(seq * 100),
  enqueuedTimeUtc: new Date(BASE + second * 1000).toISOString(), partitionKey: null, properties: {},
});

function setup(options: { holdMs?: number; maxHeldBytes?: number; metrics?: InMemoryMetrics } = {}) {
  const clock = { now: BASE };
  const store = new InMemoryDeviceStateStore();
  const sink = new InMemoryDeadLetterSink();
  const log = new Log();
  const marks = new Marks();
  const make = () =>
    new WriteBehind(
      { store, deadLetters: sink, logger: silentLogger, app: 'test', clock: () => clock.now, ...(options.metrics ? { metrics: options.metrics } : {}) },
      { holdMs: options.holdMs ?? 4_000, watermarks: marks, replay: log, maxHeldBytes: options.maxHeldBytes ?? 1_000_000, now: () => clock.now },
    );
  return { clock, store, sink, log, marks, make };
}

describe('WriteBehind (logic, in-memory ports)', () => {
  it('folds a device\'s events from several invocations into one write, made once the window from its first event has passed', async () => {
    const metrics = new InMemoryMetrics();
    const { clock, store, log, make } = setup({ holdMs: 4_500, metrics });
    const wb = make();
    for (let s = 0; s < 5; s++) {
      clock.now = BASE + s * 1000 + 50;
      await wb.ingest({ events: [log.append(1, s, { battery: 1 - s / 10 }), log.append(2, s, { flightMode: s })], source: {} });
      await wb.tick();
    }
    expect(store.writes).toBe(0);
    expect(await store.get('drone-00001')).toBeUndefined();
    clock.now = BASE + 4_500;
    await wb.tick();
    expect(store.writes).toBe(2);
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.6, lastEventTime: new Date(BASE + 4_000).toISOString() });
    expect(await store.get('drone-00002')).toMatchObject({ flightMode: 4 });
    expect(wb.stats()).toEqual({ devices: 0, events: 0, bytes: 0 });
    // Operators see the staleness: one observation per device written, from its first event's enqueue.
    expect(metrics.snapshot().histograms.find((h) => h.name === 'telemetry.window.stored_after')).toMatchObject({ count: 2, min: 4.5, max: 4.5 });
  });

  it('a backlog (events enqueued longer ago than the window) is still folded: held half the window after it arrived', async () => {
    const { clock, store, log, make } = setup({ holdMs: 4_000 });
    const wb = make();
    clock.now = BASE + 600_000; // ten minutes late: ingestion was paused
    await wb.ingest({ events: [log.append(1, 0, { battery: 0.9 }), log.append(2, 0)], source: {} });
    clock.now += 1_000;
    await wb.ingest({ events: [log.append(1, 1, { battery: 0.8 }), log.append(1, 2, { battery: 0.7 })], source: {} });
    await wb.tick();
    expect(store.writes).toBe(0);
    clock.now = BASE + 602_000;
    await wb.tick();
    expect(store.writes).toBe(2);
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.7 });
  });

  it('a new holder (after a crash) reads the hub again from the watermark, so what was held and acknowledged is not lost', async () => {
    const { clock, store, log, marks, make } = setup();
    const first = make();
    clock.now = BASE + 100;
    await first.ingest({ events: [log.append(1, 0, { battery: 0.9 }), log.append(2, 0, { battery: 0.8 })], source: {} });
    clock.now = BASE + 4_100;
    await first.tick(); // both written; the watermark moves to 1
    expect(marks.marks.get('0')?.sequenceNumber).toBe(1);
    clock.now = BASE + 5_200;
    await first.ingest({ events: [log.append(1, 5, { battery: 0.5 }), log.append(3, 5, { battery: 0.3 }), log.append(9, 5, {}, '{oops')], source: {} });
    // The process dies: drone 1's and drone 3's newest events were acknowledged but never written.
    expect(store.writes).toBe(2);
    const second = make();
    clock.now = BASE + 6_000;
    await second.ingest({ events: [log.append(2, 6, { battery: 0.2 })], source: {} });
    expect(log.reads).toEqual([[1, 5]]);
    clock.now = BASE + 11_000;
    await second.tick();
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.5 });
    expect(await store.get('drone-00003')).toMatchObject({ battery: 0.3 });
    expect(await store.get('drone-00002')).toMatchObject({ battery: 0.2 });
    expect(marks.marks.get('0')?.sequenceNumber).toBe(5);
  });

  it('bad events are dead-lettered before the invocation returns, not held; a batch whose letters cannot be written fails and holds nothing', async () => {
    const { clock, sink, log, make } = setup();
    const wb = make();
    clock.now = BASE + 100;
    sink.down = true;
    const batch = { events: [log.append(1, 0, { battery: 0.9 }), log.append(2, 0, {}, '{oops')], source: {} };
    await expect(wb.ingest(batch)).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
    expect(wb.stats().events).toBe(0);
    sink.down = false;
    await expect(wb.ingest(batch)).resolves.toMatchObject({ received: 2, valid: 1, deadLettered: 1 });
    expect(sink.letters.map((l) => [l.sequenceNumber, l.issue.code])).toEqual([[1, 'EVENT_MALFORMED']]);
    expect(wb.stats().events).toBe(1);
  });

  it('a device whose write fails is dead-lettered with every event it held; while the letters cannot be written it stays held and the watermark stays behind it', async () => {
    const { clock, store, sink, log, marks, make } = setup();
    const wb = make();
    clock.now = BASE + 100;
    await wb.ingest({ events: [log.append(1, 0, { battery: 0.9 }), log.append(2, 0, { battery: 0.8 })], source: {} });
    clock.now = BASE + 1_100;
    await wb.ingest({ events: [log.append(2, 1, { battery: 0.7 }), log.append(1, 1, { battery: 0.6 })], source: {} });
    store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00002'] };
    sink.down = true;
    clock.now = BASE + 4_100;
    await wb.tick();
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.6 });
    expect(wb.stats().devices).toBe(1);
    expect(marks.marks.get('0')?.sequenceNumber).toBe(0); // sequence 1 (drone 2) is neither written nor lettered
    sink.down = false;
    clock.now = BASE + 5_200;
    await wb.tick();
    expect(sink.letters.map((l) => [l.sequenceNumber, l.deviceId, l.issue.code])).toEqual([[1, 'drone-00002', 'STORE_UNAVAILABLE'], [2, 'drone-00002', 'STORE_UNAVAILABLE']]);
    expect(wb.stats().devices).toBe(0);
    expect(marks.marks.get('0')?.sequenceNumber).toBe(3);
  });

  it('counts held events applied when their write lands and dead-lettered when it fails, as without a window', async () => {
    const metrics = new InMemoryMetrics();
    const { clock, store, log, make } = setup({ metrics });
    const wb = make();
    clock.now = BASE + 100;
    await wb.ingest({ events: [log.append(1, 0), log.append(2, 0), log.append(2, 0.5), log.append(9, 0, {}, '{oops')], source: {} });
    const counted = () => Object.fromEntries(metrics.snapshot().counters.map((c) => [`${c.name}${c.attributes['code'] ? `{${c.attributes['code']}}` : ''}`, c.value]));
    expect(counted()).toEqual({ 'telemetry.events.deadlettered{EVENT_MALFORMED}': 1, 'telemetry.events.applied': 0 });
    store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00002'] };
    clock.now = BASE + 5_000;
    await wb.tick();
    expect(counted()).toEqual({ 'telemetry.events.deadlettered{EVENT_MALFORMED}': 1, 'telemetry.events.deadlettered{STORE_UNAVAILABLE}': 2, 'telemetry.events.applied': 1 });
  });

  it('past its memory bound an invocation waits for the writes; when they cannot be made, it fails', async () => {
    const { clock, store, sink, log, make } = setup({ maxHeldBytes: 1_500 });
    const wb = make();
    clock.now = BASE + 100;
    await wb.ingest({ events: [log.append(1, 0, { battery: 0.9 })], source: {} });
    expect(store.writes).toBe(0);
    await wb.ingest({ events: [log.append(2, 0, { battery: 0.8 }), log.append(3, 0, { battery: 0.7 })], source: {} });
    expect(store.writes).toBe(3);
    store.failWith = { code: 'STORE_UNAVAILABLE' };
    sink.down = true;
    await expect(wb.ingest({ events: [log.append(4, 0), log.append(5, 0), log.append(6, 0)], source: {} })).rejects.toThrow(/could not write them/);
    expect(wb.stats().devices).toBe(3);
  });

  it('a clean stop writes everything and moves the watermark up to it; the next holder starts from the trigger\'s checkpoint without reading again', async () => {
    const { clock, store, log, marks, make } = setup();
    const wb = make();
    clock.now = BASE + 100;
    await wb.ingest({ events: [log.append(1, 0, { battery: 0.9 })], source: {} });
    await wb.stop();
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.9 });
    expect(marks.marks.get('0')?.sequenceNumber).toBe(0);
    const next = make();
    await next.ingest({ events: [log.append(1, 1, { battery: 0.1 })], source: {} });
    expect(log.reads).toEqual([]);
    expect(marks.marks.get('0')?.sequenceNumber).toBe(0);
  });

  it('a holder whose watermark another instance wrote stops writing it, and reads again from the newer one when it gets the partition back', async () => {
    const { clock, log, marks, make } = setup();
    const a = make();
    clock.now = BASE + 100;
    await a.ingest({ events: [log.append(1, 0), log.append(2, 0)], source: {} });
    const b = make();
    await b.ingest({ events: [log.append(3, 0)], source: {} });
    expect(log.reads).toEqual([[-1, 2]]); // a's watermark (-1, written when it took the partition) is behind b's batch: b reads a's events again
    clock.now = BASE + 5_000;
    await b.tick();
    expect(marks.marks.get('0')?.sequenceNumber).toBe(2);
    await a.tick(); // its write meets b's version: a lets the partition go
    expect(marks.marks.get('0')?.sequenceNumber).toBe(2);
    await a.ingest({ events: [log.append(1, 6)], source: {} });
    expect(log.reads).toEqual([[-1, 2]]); // the watermark (2) is right behind the batch (3): nothing to read again
  });

  it('a handover: the new holder claims the watermark, so the old holder\'s clean stop cannot drop it while the new one holds events', async () => {
    const { clock, store, log, marks, make } = setup();
    const a = make();
    clock.now = BASE + 100;
    await a.ingest({ events: [log.append(1, 0)], source: {} });
    clock.now = BASE + 5_000;
    await a.tick();
    expect(marks.marks.get('0')?.sequenceNumber).toBe(0);
    const b = make(); // the partition moves to b, which holds drone 2 and then dies
    clock.now = BASE + 5_100;
    await b.ingest({ events: [log.append(2, 5, { battery: 0.4 })], source: {} });
    await a.stop(); // a holds nothing: it would give the watermark up, were it still its own
    expect(marks.marks.get('0')?.sequenceNumber).toBe(0);
    const c = make();
    clock.now = BASE + 6_000;
    await c.ingest({ events: [log.append(3, 6)], source: {} });
    clock.now = BASE + 20_000;
    await c.tick();
    expect(await store.get('drone-00002')).toMatchObject({ battery: 0.4 });
  });

  it('a device whose events come through two partitions (an unkeyed producer) is held per partition: each watermark covers only its own events, none is mistaken for a duplicate', async () => {
    const { clock, store, sink, marks, make } = setup();
    const a = make();
    clock.now = BASE + 100;
    await a.ingest({ events: [ev('1', 5, 1, 0, { battery: 0.9 })], source: {} });
    await a.ingest({ events: [ev('0', 5, 1, 1, { battery: 0.8 })], source: {} }); // same sequence number, other partition
    await a.ingest({ events: [ev('1', 6, 1, 2, { flightMode: 9 })], source: {} });
    clock.now = BASE + 1_500;
    await a.tick();
    expect(store.writes).toBe(0);
    expect([marks.marks.get('0')?.sequenceNumber, marks.marks.get('1')?.sequenceNumber]).toEqual([4, 4]); // nothing of either is stored yet
    store.failWith = { code: 'STORE_REJECTED', devices: ['drone-00001'] };
    clock.now = BASE + 10_000;
    await a.stop();
    // Every event gets its own letter, whichever partition it came through.
    expect(sink.letters.map((l) => [l.partitionId, l.sequenceNumber]).sort()).toEqual([['0', 5], ['1', 5], ['1', 6]]);
    store.failWith = undefined;
    const b = make();
    await b.ingest({ events: [ev('1', 7, 1, 3, { battery: 0.5 })], source: {} });
    await b.stop();
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.5 });
  });

  it('an invocation still screening when the host stops writes its events before it returns, instead of holding them after the last flush', async () => {
    const { clock, store, sink, log, marks } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slowSink = { send: async (letters: Parameters<typeof sink.send>[0]) => { await gate; await sink.send(letters); } };
    const wb = new WriteBehind(
      { store, deadLetters: slowSink, logger: silentLogger, app: 'test', clock: () => clock.now },
      { holdMs: 4_000, watermarks: marks, replay: log, maxHeldBytes: 1_000_000, now: () => clock.now },
    );
    clock.now = BASE + 100;
    await wb.ingest({ events: [log.append(1, 0)], source: {} });
    const pending = wb.ingest({ events: [log.append(2, 1, { battery: 0.4 }), log.append(9, 1, {}, '{oops')], source: {} });
    await new Promise((r) => setImmediate(r));
    await wb.stop();
    release();
    await expect(pending).resolves.toMatchObject({ valid: 1, deadLettered: 1 });
    expect(await store.get('drone-00002')).toMatchObject({ battery: 0.4 });
    expect(wb.stats().events).toBe(0);
  });

  it('a long read again saves its progress as it writes what it read: a retry goes on from there', async () => {
    const { clock, store, log, marks, make } = setup({ maxHeldBytes: 1_500 });
    const crashed = make();
    clock.now = BASE + 100;
    await crashed.ingest({ events: [log.append(1, 0)], source: {} }); // watermark -1, then it dies holding
    for (let i = 1; i < 12; i++) log.append(i, 1, { battery: i / 100 }); // acknowledged by the dead holder, never written
    const next = make();
    log.failAfterChunks = 3;
    const batch = { events: [log.append(20, 2)], source: {} };
    await expect(next.ingest(batch)).rejects.toMatchObject({ code: 'WRITE_BEHIND_BLOCKED' });
    const progress = marks.marks.get('0')!.sequenceNumber;
    expect(progress).toBeGreaterThan(-1);
    log.failAfterChunks = Number.POSITIVE_INFINITY;
    const retry = make();
    await retry.ingest(batch);
    expect(log.reads.at(-1)).toEqual([progress, 12]);
    clock.now = BASE + 60_000;
    await retry.tick();
    for (let i = 1; i < 12; i++) expect(await store.get(`drone-${String(i).padStart(5, '0')}`)).toMatchObject({ battery: i / 100 });
  });

  it('a holder whose claim was taken keeps acknowledging; the new holder\'s clean stop leaves the watermark below what it never saw, so the next holder reads it again', async () => {
    const { clock, store, log, marks, make } = setup();
    const b = make();
    clock.now = BASE + 100;
    await b.ingest({ events: [log.append(1, 0)], source: {} });
    clock.now = BASE + 5_000;
    await b.tick();
    const a = make(); // the partition moves to a; b still works through its prefetch
    const batch = { events: [log.append(2, 5, { battery: 0.5 })], source: {} };
    await a.ingest(batch);
    await b.ingest(batch);
    await b.ingest({ events: [log.append(3, 5, { battery: 0.3 })], source: {} }); // acknowledged by b, held
    clock.now = BASE + 6_500;
    await b.tick();
    await a.stop(); // a wrote what it saw (up to 1) and stops
    expect(marks.marks.get('0')?.sequenceNumber).toBe(1);
    const c = make(); // b dies; c starts after b's checkpoint (2)
    clock.now = BASE + 7_000;
    await c.ingest({ events: [log.append(4, 7)], source: {} });
    clock.now = BASE + 30_000;
    await c.tick();
    expect(await store.get('drone-00003')).toMatchObject({ battery: 0.3 });
  });

  it('the window turned off while a windowed instance still runs (a rolling change): a window-0 successor reads again from the retired watermark what the windowed one acknowledged and held', async () => {
    const { clock, store, sink, log, marks, make } = setup();
    const q = make();
    clock.now = BASE + 100;
    await q.ingest({ events: [log.append(1, 0)], source: {} });
    const deps = { store, deadLetters: sink, logger: silentLogger, app: 'test' };
    const r = new OrphanedWatermarks(deps, { watermarks: marks, replay: log });
    await r.settle({ events: [log.events[0]!], source: {} }); // window 0 briefly: claims, retires at -1
    expect(marks.marks.get('0')).toMatchObject({ sequenceNumber: -1, retired: true });
    await q.ingest({ events: [log.append(2, 1, { battery: 0.2 })], source: {} }); // q acknowledges and holds seq 1, then dies
    const r2 = new OrphanedWatermarks(deps, { watermarks: marks, replay: log });
    const next = { events: [log.append(3, 2)], source: {} };
    await r2.settle(next); // the partition goes on after seq 1 with window 0
    expect(log.reads).toEqual([[-1, 2]]);
    expect(await store.get('drone-00002')).toMatchObject({ battery: 0.2 });
    expect(marks.marks.get('0')).toMatchObject({ sequenceNumber: 1, retired: true });
  });

  it('with the window off, the retired watermark follows what is written, at most once a minute', async () => {
    const { clock, store, sink, log, marks, make } = setup();
    await make().ingest({ events: [log.append(1, 0)], source: {} }); // a windowed run left a watermark
    const r = new OrphanedWatermarks({ store, deadLetters: sink, logger: silentLogger, app: 'test' }, { watermarks: marks, replay: log }, { now: () => clock.now });
    for (let i = 1; i <= 5; i++) {
      const batch = { events: [log.append(i, i)], source: {} };
      await r.settle(batch);
      await r.written(batch);
      clock.now += 20_000;
    }
    expect(marks.marks.get('0')).toMatchObject({ sequenceNumber: 4, retired: true }); // moved at the 4th batch (60 s after the settle)
  });

  it('cannot read the watermark or the hub: the invocation fails before anything is held', async () => {
    const { clock, marks, log, make } = setup();
    const wb = make();
    clock.now = BASE + 100;
    marks.down = true;
    await expect(wb.ingest({ events: [log.append(1, 0)], source: {} })).rejects.toMatchObject({ code: 'WRITE_BEHIND_BLOCKED', message: expect.stringContaining('storage down') });
    expect(wb.stats().events).toBe(0);
  });

  it('with the window turned off after a crash, the first batch of a partition writes what the watermark still owed, then removes it', async () => {
    const { clock, store, sink, log, marks, make } = setup();
    const crashed = make();
    clock.now = BASE + 100;
    await crashed.ingest({ events: [log.append(1, 0, { battery: 0.9 }), log.append(2, 0, {}, '{oops')], source: {} }); // held, acknowledged; then it dies
    const orphans = new OrphanedWatermarks({ store, deadLetters: sink, logger: silentLogger, app: 'test' }, { watermarks: marks, replay: log });
    const batch = { events: [log.append(3, 1)], source: {} };
    await orphans.settle(batch);
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.9 });
    expect(sink.letters).toHaveLength(1); // the bad event was dead-lettered once, when first read
    expect(marks.marks.get('0')).toMatchObject({ sequenceNumber: 1, retired: true }); // lag counts from the checkpoint again
    await orphans.written(batch);
    await orphans.settle(batch); // once per partition
    expect(log.reads).toEqual([[-1, 2]]);
    await orphans.stop();
    expect(marks.marks.get('0')).toMatchObject({ sequenceNumber: 2, retired: true });
    marks.down = true;
    const other = new OrphanedWatermarks({ store, deadLetters: sink, logger: silentLogger, app: 'test' }, { watermarks: marks, replay: log });
    await expect(other.settle(batch)).rejects.toMatchObject({ code: 'WRITE_BEHIND_BLOCKED' });
  });
});
