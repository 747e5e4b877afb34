import { silentLogger } from '@telemetry/core';
import { InMemoryDeviceStateStore } from '@telemetry/device-store/testing';
import { InMemoryDeadLetterSink } from '@telemetry/dead-letter/testing';
import type { SourceEvent } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
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
});
