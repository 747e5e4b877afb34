import { silentLogger } from '@telemetry/core';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { InMemoryDeadLetterSink } from '@telemetry/dead-letter/testing';
import type { SourceEvent } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import type { DeviceStatePatch } from '@telemetry/device-state';
import { processBatch } from './process-batch';

const ev = (seq: number, body: unknown): SourceEvent => ({
  body: Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
  partitionId: '0', sequenceNumber: seq, offset: String(seq * 100), enqueuedTimeUtc: '2026-11-21T22:00:00Z', partitionKey: null, properties: {},
});

describe('processBatch (logic, in-memory ports)', () => {
  it('applies valid events, dead-letters bad ones, and never fails the batch for them', async () => {
    const store = new InMemoryDeviceStateStore();
    const sink = new InMemoryDeadLetterSink();
    const report = await processBatch(
      { events: [ev(1, makeTelemetry(1, 1, { battery: 0.5 })), ev(2, '{oops'), ev(3, { deviceId: 'x' }), ev(4, makeTelemetry(1, 2, { flightMode: 2 }))], source: {} },
      { store, deadLetters: sink, logger: silentLogger, app: 'test' },
    );
    expect(report).toMatchObject({ received: 4, valid: 2, devices: 1, written: 1, applied: 2, deadLettered: 2, deadLetteredByCode: { EVENT_MALFORMED: 1, EVENT_INVALID: 1 } });
    expect(sink.letters.map((l) => l.sequenceNumber)).toEqual([2, 3]);
    expect(await store.get('drone-00001')).toMatchObject({ battery: 0.5, flightMode: 2 });
  });

  it('a store that throws for the batch (a bug) does not freeze the partition: the other devices land, the culprit is dead-lettered', async () => {
    const inner = new InMemoryDeviceStateStore();
    const calls: string[][] = [];
    // Breaks the port's promise (never throw for the batch) whenever drone-00003 is among the patches.
    const store = {
      apply: async (patches: Iterable<DeviceStatePatch>) => {
        const list = [...patches];
        calls.push(list.map((p) => p.deviceId));
        if (list.some((p) => p.deviceId === 'drone-00003')) throw new TypeError("Cannot read properties of undefined (reading 'battery')");
        return inner.apply(list);
      },
      get: (id: string) => inner.get(id),
      stats: () => inner.stats(),
    };
    const sink = new InMemoryDeadLetterSink();
    const events = [ev(1, makeTelemetry(1, 1, { battery: 0.5 })), ev(2, makeTelemetry(3, 1, { battery: 0.4 })), ev(3, makeTelemetry(2, 1, { battery: 0.3 })), ev(4, makeTelemetry(3, 2, { battery: 0.2 }))];
    const report = await processBatch({ events, source: {} }, { store, deadLetters: sink, logger: silentLogger, app: 'test' });
    expect(report).toMatchObject({ received: 4, valid: 4, applied: 2, written: 2, deadLettered: 2, deadLetteredByCode: { UNKNOWN: 2 } });
    expect(await inner.get('drone-00001')).toMatchObject({ battery: 0.5 });
    expect(await inner.get('drone-00002')).toMatchObject({ battery: 0.3 });
    expect(await inner.get('drone-00003')).toBeUndefined();
    expect(sink.letters.map((l) => [l.sequenceNumber, l.deviceId, l.issue.code, l.issue.retryable])).toEqual([
      [2, 'drone-00003', 'UNKNOWN', true],
      [4, 'drone-00003', 'UNKNOWN', true],
    ]);
    expect(sink.letters[0]!.issue.message).toContain("reading 'battery'");
    // Once for the batch, then once per device.
    expect(calls).toEqual([['drone-00001', 'drone-00003', 'drone-00002'], ['drone-00001'], ['drone-00003'], ['drone-00002']]);
  });

  it('dead-letters every event of a device whose write failed, as retryable, with the decoded state', async () => {
    const store = new InMemoryDeviceStateStore();
    store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00002'] };
    const sink = new InMemoryDeadLetterSink();
    const report = await processBatch(
      { events: [ev(1, makeTelemetry(1, 1)), ev(2, makeTelemetry(2, 1, { battery: 0.1 })), ev(3, makeTelemetry(2, 2))], source: {} },
      { store, deadLetters: sink, logger: silentLogger, app: 'test' },
    );
    expect(report).toMatchObject({ applied: 1, deadLettered: 2 });
    expect(sink.letters.map((l) => [l.sequenceNumber, l.issue.code, l.issue.retryable, l.decoded?.deviceId])).toEqual([
      [2, 'STORE_UNAVAILABLE', true, 'drone-00002'],
      [3, 'STORE_UNAVAILABLE', true, 'drone-00002'],
    ]);
  });

  it('throws when the dead letters cannot be written, and reports the failures', async () => {
    const sink = new InMemoryDeadLetterSink();
    sink.down = true;
    const recorded: unknown[] = [];
    await expect(
      processBatch({ events: [ev(1, 'nope')], source: {} }, {
        store: new InMemoryDeviceStateStore(), deadLetters: sink, logger: silentLogger, app: 'test',
        failures: { record: async (c) => void recorded.push(c) },
      }),
    ).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
    expect(recorded).toEqual([{ EVENT_MALFORMED: 1, DEAD_LETTER_UNAVAILABLE: 1 }]);
  });

  describe('what the breaker counts: failed operations, not the events they carried', () => {
    const manyEvents = (device: number, count: number, from = 0) => Array.from({ length: count }, (_, i) => ev(from + i, makeTelemetry(device, i + 1, { battery: 0.5 })));

    it('one device whose one write fails counts one STORE_* failure, while every one of its events is still dead-lettered', async () => {
      const store = new InMemoryDeviceStateStore();
      store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00001'] };
      const sink = new InMemoryDeadLetterSink();
      const recorded: unknown[] = [];
      const events = [...manyEvents(1, 99), ev(100, makeTelemetry(2, 1)), ev(101, '{oops'), ev(102, '{oops')];
      const report = await processBatch({ events, source: {} }, { store, deadLetters: sink, logger: silentLogger, app: 'test', failures: { record: async (c) => void recorded.push(c) } });
      expect(report).toMatchObject({ applied: 1, deadLettered: 101, deadLetteredByCode: { STORE_UNAVAILABLE: 99, EVENT_MALFORMED: 2 } });
      expect(sink.letters.filter((l) => l.deviceId === 'drone-00001')).toHaveLength(99);
      // Each undecodable event is its own failure; the device's write is one.
      expect(recorded).toEqual([{ STORE_UNAVAILABLE: 1, EVENT_MALFORMED: 2 }]);
    });

    it('several devices failing count one each', async () => {
      const store = new InMemoryDeviceStateStore();
      store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00001', 'drone-00002', 'drone-00003'] };
      const recorded: unknown[] = [];
      await processBatch({ events: [...manyEvents(1, 10), ...manyEvents(2, 10, 10), ...manyEvents(3, 10, 20), ...manyEvents(4, 10, 30)], source: {} }, {
        store, deadLetters: new InMemoryDeadLetterSink(), logger: silentLogger, app: 'test', failures: { record: async (c) => void recorded.push(c) },
      });
      expect(recorded).toEqual([{ STORE_UNAVAILABLE: 3 }]);
    });

    it('dead-letter queue down: the failed store write counts once and the failed dead-letter write once, not once per event each', async () => {
      const store = new InMemoryDeviceStateStore();
      store.failWith = { code: 'STORE_UNAVAILABLE', devices: ['drone-00001'] };
      const sink = new InMemoryDeadLetterSink();
      sink.down = true;
      const recorded: unknown[] = [];
      await expect(
        processBatch({ events: manyEvents(1, 60), source: {} }, { store, deadLetters: sink, logger: silentLogger, app: 'test', failures: { record: async (c) => void recorded.push(c) } }),
      ).rejects.toMatchObject({ code: 'DEAD_LETTER_UNAVAILABLE' });
      expect(recorded).toEqual([{ STORE_UNAVAILABLE: 1, DEAD_LETTER_UNAVAILABLE: 1 }]);
    });
  });

  describe('the device-clock rule (MAX_CLOCK_SKEW_SECONDS)', () => {
    const at = (seq: number, timestamp: string, battery: number, enqueuedTimeUtc: string): SourceEvent => ({
      ...ev(seq, { deviceId: 'drone-00001', timestamp, battery }), enqueuedTimeUtc,
    });

    it('a battery stamped 9999-12-31 is dead-lettered EVENT_CLOCK_SKEW with its context, and cannot freeze the field', async () => {
      const store = new InMemoryDeviceStateStore();
      const sink = new InMemoryDeadLetterSink();
      const deps = { store, deadLetters: sink, logger: silentLogger, app: 'test' };
      const first = await processBatch({ events: [at(1, '9999-12-31T00:00:00.000Z', 0.01, '2026-11-21T22:00:00.000Z'), at(2, '2026-11-21T21:59:00.000Z', 0.9, '2026-11-21T22:00:00.000Z')], source: {} }, deps);
      expect(first).toMatchObject({ valid: 1, applied: 1, deadLettered: 1, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
      await processBatch({ events: [at(3, '2026-11-21T22:01:00.000Z', 0.8, '2026-11-21T22:01:00.100Z')], source: {} }, deps);
      expect(await store.get('drone-00001')).toMatchObject({ battery: 0.8, lastEventTime: '2026-11-21T22:01:00.000Z' });
      expect(sink.letters).toHaveLength(1);
      expect(sink.letters[0]).toMatchObject({
        sequenceNumber: 1, enqueuedTimeUtc: '2026-11-21T22:00:00.000Z', deviceId: 'drone-00001', decoded: { timestamp: '9999-12-31T00:00:00.000Z', battery: 0.01 },
        issue: { code: 'EVENT_CLOCK_SKEW', retryable: false, stage: 'validate' },
      });
      expect(sink.letters[0]!.issue.message).toMatch(/9999-12-31T00:00:00\.000Z is \d+ s ahead of the enqueued time 2026-11-21T22:00:00\.000Z; the limit is 300 s/);
    });

    it('measures skew against the enqueued time, with the configured limit, whatever the processing time', async () => {
      const sink = new InMemoryDeadLetterSink();
      const deps = { store: new InMemoryDeviceStateStore(), deadLetters: sink, logger: silentLogger, app: 'test', maxClockSkewSeconds: 60, clock: () => Date.parse('2030-01-01T00:00:00Z') };
      const report = await processBatch({
        events: [
          at(1, '2026-11-21T22:01:00.000Z', 0.5, '2026-11-21T22:00:00.000Z'), // 60 s ahead: the limit, accepted
          at(2, '2026-11-21T22:01:00.001Z', 0.5, '2026-11-21T22:00:00.000Z'), // over it, although long before "now"
          at(3, '1999-12-31T23:59:59.000Z', 0.5, '2026-11-21T22:00:00.000Z'), // a clock that was never set
        ],
        source: {},
      }, deps);
      expect(report).toMatchObject({ applied: 1, deadLetteredByCode: { EVENT_CLOCK_SKEW: 2 } });
      expect(sink.letters.map((l) => l.sequenceNumber)).toEqual([2, 3]);
    });

    it('a clock reset to its 2000-01-01 default is dead-lettered, not silently outvoted; MAX_EVENT_AGE_SECONDS is the limit behind', async () => {
      const store = new InMemoryDeviceStateStore();
      const sink = new InMemoryDeadLetterSink();
      const deps = { store, deadLetters: sink, logger: silentLogger, app: 'test' };
      await processBatch({ events: [at(1, '2026-11-21T21:00:00.000Z', 0.9, '2026-11-21T21:00:00.100Z')], source: {} }, deps);
      // The RTC lost power and counts on from its default: its real, current reading would lose every merge.
      const reset = await processBatch({ events: [at(2, '2000-01-01T00:03:00.000Z', 0.2, '2026-11-21T22:00:00.000Z')], source: {} }, deps);
      expect(reset).toMatchObject({ applied: 0, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
      expect(sink.letters[0]!.issue.message).toMatch(/2000-01-01T00:03:00\.000Z is \d+ s behind the enqueued time 2026-11-21T22:00:00\.000Z; the limit is 315360000 s \(MAX_EVENT_AGE_SECONDS\)/);
      expect(await store.get('drone-00001')).toMatchObject({ battery: 0.9 });
      // Tightened to a day: a reading buffered 25 hours is refused, one buffered 23 hours is applied (and loses to the newer battery).
      const strict = { ...deps, maxEventAgeSeconds: 86_400 };
      const report = await processBatch({
        events: [at(3, '2026-11-20T21:00:00.000Z', 0.1, '2026-11-21T22:00:00.000Z'), at(4, '2026-11-20T23:00:00.000Z', 0.1, '2026-11-21T22:00:00.000Z')],
        source: {},
      }, strict);
      expect(report).toMatchObject({ valid: 1, applied: 1, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
      expect(sink.letters.map((l) => l.sequenceNumber)).toEqual([2, 3]);
    });

    it('without an enqueued time from the trigger, the processing time stands in', async () => {
      const sink = new InMemoryDeadLetterSink();
      const deps = { store: new InMemoryDeviceStateStore(), deadLetters: sink, logger: silentLogger, app: 'test', clock: () => Date.parse('2026-11-21T22:00:00Z') };
      const report = await processBatch({ events: [at(1, '2026-11-21T22:04:00Z', 0.5, ''), at(2, '2026-11-21T22:06:00Z', 0.5, '')], source: {} }, deps);
      expect(report).toMatchObject({ applied: 1, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
    });
  });
});
