import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EventHubConsumerClient, earliestEventPosition } from '@azure/event-hubs';
import { PipelineError } from '@telemetry/core';
import { decodeTelemetry } from '@telemetry/device-state';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { waitUntil } from '@telemetry/local-services';
import { corruptBody, CORRUPTIONS } from './corrupt-event';
import { DroneFleet } from './drone-fleet';
import { seededRandom } from './random';
import { simulate, writeNdjson } from './simulate';

describe('the drone fleet', () => {
  it('produces valid telemetry, key frames at the cadence, ordered per device', () => {
    const fleet = new DroneFleet({ devices: 3, keyFrameEvery: 4, random: seededRandom(1), startTime: Date.parse('2026-11-21T22:00:00Z') });
    const events = Array.from({ length: 300 }, () => fleet.next());
    for (const e of events) expect(() => decodeTelemetry(Buffer.from(JSON.stringify(e)))).not.toThrow();
    const perDevice = new Map<string, typeof events>();
    for (const e of events) perDevice.set(e.deviceId, [...(perDevice.get(e.deviceId) ?? []), e]);
    for (const list of perDevice.values()) {
      expect(list.filter((e, i) => i % 4 === 0).every((e) => e.keyFrame && e.health && e.flightMode !== undefined)).toBe(true);
      expect(list.map((e) => e.timestamp)).toEqual([...list.map((e) => e.timestamp)].sort());
    }
  });

  it.each(CORRUPTIONS.map((c) => [c.kind, c]))('a %s body is rejected with its expected code', (_kind, corruption) => {
    const body = corruptBody({ deviceId: 'drone-00001', timestamp: '2026-11-21T22:00:00.000Z' }, corruption);
    let code = 'OK';
    try {
      decodeTelemetry(body);
    } catch (error) {
      code = (error as PipelineError).code;
    }
    expect(code).toBe(corruption.code);
  });
});

describe('simulate against the Event Hubs emulator', () => {
  let emulator: EventHubsEmulator;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'sim-'));
    emulator = await start({ port: 0, dataDir: dir, hubs: [{ name: 'telemetry', partitions: 2 }] });
  });
  afterAll(async () => {
    await emulator?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends every recorded event, partition key = deviceId, and writes the record', async () => {
    const recordFile = path.join(dir, 'sent.ndjson');
    const { summary, events } = await simulate({
      connectionString: emulator.connectionString, devices: 10, count: 500, rate: 0, keyFrameEvery: 5,
      corruptRatio: 0.05, duplicateRatio: 0.1, seed: 3, recordFile,
    });
    expect(summary.sent).toBe(events.length);
    expect(summary.distinct).toBe(500);
    expect(summary.duplicates).toBeGreaterThan(0);
    expect((await readFile(recordFile, 'utf8')).trim().split('\n')).toHaveLength(events.length);

    const consumer = new EventHubConsumerClient('$Default', emulator.connectionString);
    const received: { partitionKey?: string | null; deviceId?: string }[] = [];
    const sub = consumer.subscribe(
      {
        processEvents: async (batch) => {
          for (const e of batch) received.push({ partitionKey: e.partitionKey, deviceId: events[Number(e.properties?.['index'])]?.deviceId });
        },
        processError: async () => undefined,
      },
      { startPosition: earliestEventPosition, maxBatchSize: 500 },
    );
    try {
      await waitUntil(() => received.length >= events.length, { timeoutMs: 60_000, description: 'every event received' });
    } finally {
      await sub.close();
      await consumer.close();
    }
    expect(received).toHaveLength(events.length);
    expect(received.every((r) => r.partitionKey === r.deviceId)).toBe(true);
  });
});

describe('writeNdjson (the --record file)', () => {
  it('writes every item as one JSON line across chunk boundaries, and an empty list as an empty file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'ndjson-'));
    try {
      const items = Array.from({ length: 23 }, (_, i) => ({ index: i, text: `line "${i}"\n` }));
      for (const chunk of [1, 5, 23, 100]) {
        const file = path.join(dir, `c${chunk}.ndjson`);
        await writeNdjson(file, items, chunk);
        const lines = (await readFile(file, 'utf8')).split('\n');
        expect(lines.pop()).toBe('');
        expect(lines.map((l) => JSON.parse(l))).toEqual(items);
      }
      await writeNdjson(path.join(dir, 'empty.ndjson'), []);
      expect(await readFile(path.join(dir, 'empty.ndjson'), 'utf8')).toBe('');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
