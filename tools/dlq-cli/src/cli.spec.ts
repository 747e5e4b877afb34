import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TableClient } from '@azure/data-tables';
import { EventHubConsumerClient, earliestEventPosition, type ReceivedEventData } from '@azure/event-hubs';
import { connectStorage, StorageDeadLetterQueue } from '@telemetry/azure-storage-queue';
import { decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import { start, type EventHubsEmulator } from '@telemetry/eventhubs-emulator';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { TableParkingStore } from '@telemetry/azure-tables';
import { type ParkedLetter } from '@telemetry/reprocessing';
import { deadLetterFor } from '@telemetry/reprocessing/testing';
import type { CliIo } from './io';
import { createProgram } from './program';
import { DEFAULTS } from './target';

describe('dlq CLI against Azurite (and the Event Hubs emulator)', () => {
  let azurite: AzuriteInstance;
  let emulator: EventHubsEmulator;
  let dir: string;
  let stackFile: string;
  let parking: TableParkingStore;
  let dlq: StorageDeadLetterQueue;
  const letters: Record<string, DeadLetter> = {};

  beforeAll(async () => {
    [azurite, emulator] = await Promise.all([startAzurite(), start({ port: 0, hubs: [{ name: 'telemetry', partitions: 2 }] })]);
    dir = await mkdtemp(path.join(tmpdir(), 'dlq-cli-'));
    stackFile = path.join(dir, 'stack.json');
    // The local stack's descriptor, as `npm run dev` writes it (only the fields the CLI reads).
    await writeFile(stackFile, JSON.stringify({
      eventHubs: { connectionString: emulator.connectionString, hubName: 'telemetry' },
      storage: { connectionString: azurite.connectionString },
      queues: { deadLetter: DEFAULTS.queue },
    }));
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const container = blobs.getContainerClient(DEFAULTS.claimCheckContainer);
    await Promise.all([queues.getQueueClient(DEFAULTS.queue).create(), container.create()]);
    dlq = new StorageDeadLetterQueue(queues.getQueueClient(DEFAULTS.queue), container);
    parking = new TableParkingStore(TableClient.fromConnectionString(azurite.connectionString, DEFAULTS.parkingTable, { allowInsecureConnection: true }), container);
    letters['malformed'] = deadLetterFor('EVENT_MALFORMED', Buffer.from('{"deviceId":"drone-00001","timestamp":"2026-11-21T22:00:00Z"'), { partitionKey: 'drone-00001', properties: { source: 'sim', apiKey: '***', raw: { $binary: 'AQID' } } });
    letters['invalid1'] = deadLetterFor('EVENT_INVALID', Buffer.from('{"deviceId":"drone-00002","timestamp":"2026-11-21T22:00:00Z","battery":7}'));
    letters['invalid2'] = deadLetterFor('EVENT_INVALID', Buffer.from('{"deviceId":"drone-00003","timestamp":"yesterday"}'));
    letters['store'] = deadLetterFor('STORE_UNAVAILABLE', makeTelemetry(4, 1, { battery: 0.5 }));
    for (const [name, letter] of Object.entries(letters)) await parking.park(parked(letter, name));
    await dlq.enqueue(deadLetterFor('STORE_TIMEOUT', makeTelemetry(5, 1)));
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), emulator?.close(), dir && rm(dir, { recursive: true, force: true })]);
  });

  const parked = (letter: DeadLetter, name: string): ParkedLetter => ({
    id: letter.id, code: letter.issue.code, reason: `${letter.issue.code}: ${name}`, parkedAt: new Date().toISOString(), attempts: 0, by: 'reprocessor', letter,
  });

  /** Runs one command line; returns what it printed on stdout (parsed when --json). */
  async function dlqCli(args: string[], answer = false): Promise<{ out: string; err: string; failed: boolean; json: () => unknown }> {
    let out = '';
    let err = '';
    let failed = false;
    const io: CliIo = {
      out: (t) => void (out += `${t}\n`), err: (t) => void (err += `${t}\n`), confirm: async () => answer, interactive: false, stderr: process.stderr, fail: () => void (failed = true),
    };
    const program = createProgram(io, {}).exitOverride();
    await program.parseAsync(['--stack', stackFile, ...args], { from: 'user' });
    return { out, err, failed, json: () => JSON.parse(out) as unknown };
  }
  const parkedIds = async (): Promise<string[]> => {
    const ids: string[] = [];
    for await (const s of parking.list()) ids.push(s.id);
    return ids.sort();
  };
  const drainQueue = async (): Promise<DeadLetter[]> => {
    const out: DeadLetter[] = [];
    for (;;) {
      const { receivedMessageItems } = await dlq.queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 300 });
      if (receivedMessageItems.length === 0) return out;
      for (const m of receivedMessageItems) {
        out.push(decodeDeadLetter(m.messageText));
        await dlq.queue.deleteMessage(m.messageId, m.popReceipt);
      }
    }
  };

  it('stats --json: pending and parked by code, with the oldest', async () => {
    const stats = (await dlqCli(['--json', 'stats'])).json();
    expect(stats).toMatchObject({
      pending: { approximateCount: 1, sampled: 1, sampleByCode: { STORE_TIMEOUT: 1 }, oldestInsertedAt: expect.any(String) },
      poison: { approximateCount: 0 },
      parked: { total: 4, byCode: [
        { code: 'EVENT_INVALID', count: 2, oldestParkedAt: expect.any(String) }, { code: 'EVENT_MALFORMED', count: 1 }, { code: 'STORE_UNAVAILABLE', count: 1 },
      ] },
    });
    expect((await dlqCli(['stats'])).out).toMatch(/parked\s+4/);
  });

  it('list and show, with filters', async () => {
    const byCode = (await dlqCli(['--json', 'list', '--code', 'EVENT_INVALID'])).json() as { items: { id: string }[] };
    expect(byCode.items.map((i) => i.id).sort()).toEqual([letters['invalid1']!.id, letters['invalid2']!.id].sort());
    const byDevice = (await dlqCli(['--json', 'list', '--device', 'drone-00003', '--since', '1h'])).json() as { items: { id: string }[] };
    expect(byDevice.items.map((i) => i.id)).toEqual([letters['invalid2']!.id]);
    expect(((await dlqCli(['--json', 'list', '--until', '1h'])).json() as { items: unknown[] }).items).toEqual([]);
    const pending = (await dlqCli(['--json', 'list', '--state', 'pending'])).json() as { items: { code: string; deviceId: string }[] };
    expect(pending.items).toMatchObject([{ code: 'STORE_TIMEOUT', deviceId: 'drone-00005' }]);

    const shown = (await dlqCli(['--json', 'show', letters['malformed']!.id])).json();
    expect(shown).toMatchObject({ state: 'parked', parked: { code: 'EVENT_MALFORMED', reason: 'EVENT_MALFORMED: malformed' }, bodyText: '{"deviceId":"drone-00001","timestamp":"2026-11-21T22:00:00Z"' });
    expect((await dlqCli(['show', letters['malformed']!.id])).out).toMatch(/issue:\s+EVENT_MALFORMED/);
    await expect(dlqCli(['show', 'no-such-id'])).rejects.toThrow(/not found/);
  });

  it('redrive --dry-run changes nothing; redrive --code sends parked letters back through the reprocessor with a marker', async () => {
    const before = await parkedIds();
    const dry = (await dlqCli(['--json', '--dry-run', 'redrive', '--code', 'EVENT_INVALID'])).json();
    expect(dry).toMatchObject({ dryRun: true, redriven: expect.arrayContaining([letters['invalid1']!.id, letters['invalid2']!.id]) });
    expect(await parkedIds()).toEqual(before);
    expect((await drainQueue()).map((l) => l.issue.code)).toEqual(['STORE_TIMEOUT']); // only what was there
    const missing = await dlqCli(['redrive', 'no-such-id']);
    expect(missing).toMatchObject({ failed: true, err: expect.stringContaining('failed no-such-id: not parked') });

    const done = (await dlqCli(['--json', 'redrive', '--code', 'EVENT_INVALID', '--reason', 'schema widened', '--by', 'ops'])).json() as { redriven: string[] };
    expect(done.redriven).toHaveLength(2);
    expect(await parkedIds()).toEqual([letters['malformed']!.id, letters['store']!.id].sort());
    const queued = await drainQueue();
    expect(queued.map((l) => l.id).sort()).toEqual(done.redriven.sort());
    for (const l of queued) expect(l.redrive).toMatchObject({ count: 1, by: 'ops', reason: 'schema widened' });
  });

  it('redrive --body-file redrives one parked letter with a corrected body', async () => {
    const fixed = path.join(dir, 'fixed.json');
    await writeFile(fixed, '{"deviceId":"drone-00001","timestamp":"2026-11-21T22:00:00Z"}');
    await expect(dlqCli(['redrive', '--code', 'EVENT_MALFORMED', '--body-file', fixed])).rejects.toThrow(/exactly one parked letter/);
    await dlqCli(['redrive', letters['malformed']!.id, '--body-file', fixed]);
    const [letter] = await drainQueue();
    expect(Buffer.from(letter!.body!, 'base64').toString()).toBe('{"deviceId":"drone-00001","timestamp":"2026-11-21T22:00:00Z"}');
    expect(letter).toMatchObject({ id: letters['malformed']!.id, decoded: null, redrive: { count: 1, originalBodySha256: letters['malformed']!.bodySha256 } });
    await parking.park(parked(letters['malformed']!, 'malformed')); // back for the next tests
  });

  it('redrive --to eventhubs sends the original event (bytes, properties, partition key) plus x-redrive', async () => {
    await dlqCli(['redrive', letters['malformed']!.id, '--to', 'eventhubs', '--reason', 'replay']);
    const consumer = new EventHubConsumerClient('$Default', emulator.connectionString);
    const received: ReceivedEventData[] = [];
    const subscription = consumer.subscribe({ processEvents: async (events) => void received.push(...events), processError: async () => undefined }, { startPosition: earliestEventPosition });
    try {
      await waitUntil(() => received.length >= 1, { timeoutMs: 60_000, description: 'redriven event on the hub' });
    } finally {
      await subscription.close();
      await consumer.close();
    }
    const [event] = received;
    const original = letters['malformed']!;
    expect(Buffer.from(event!.body as Uint8Array)).toEqual(Buffer.from(original.body!, 'base64'));
    expect(event!.partitionKey).toBe('drone-00001');
    expect(event!.properties).toMatchObject({ source: 'sim', raw: Buffer.from([1, 2, 3]) });
    expect(event!.properties?.['apiKey']).toBeUndefined(); // redacted in the letter: dropped, never sent as ***
    expect(JSON.parse(event!.properties?.['x-redrive'] as string)).toEqual({
      count: 1, deadLetterId: original.id, originalPartitionId: original.partitionId, originalSequenceNumber: original.sequenceNumber,
      originalEnqueuedTimeUtc: original.enqueuedTimeUtc, code: 'EVENT_MALFORMED', reason: 'replay', by: expect.stringMatching(/^dlq-cli:/),
    });
    expect(await parking.get(original.id)).toBeUndefined();
  });

  it('redrive with no ids and no filter asks first (as purge does): declined or unasked sends nothing; --yes sends all (issue 13 item 15)', async () => {
    const before = await parkedIds();
    expect(before).toEqual([letters['store']!.id]);
    const declined = await dlqCli(['--json', 'redrive'], false);
    expect(declined.json()).toMatchObject({ cancelled: true, redriven: [] });
    // Not done is not success: a script without a terminal (no --yes) gets a non-zero exit.
    expect(declined.failed).toBe(true);
    expect((await dlqCli(['redrive', '--to', 'eventhubs'], false)).err).toMatch(/cancelled: nothing redriven \(not confirmed; --yes confirms without a terminal\)/);
    expect((await dlqCli(['--json', 'redrive', '--from', 'pending'], false)).json()).toMatchObject({ cancelled: true, redriven: [] });
    expect(await parkedIds()).toEqual(before);
    const confirmed = await dlqCli(['--json', 'redrive'], true);
    expect(confirmed.json()).toMatchObject({ cancelled: false, redriven: before });
    expect(confirmed.failed).toBe(false);
    await parking.park(parked(letters['store']!, 'store')); // back for the purge test
    expect((await dlqCli(['--json', 'redrive', '--yes'], false)).json()).toMatchObject({ cancelled: false, redriven: before });
    await parking.park(parked(letters['store']!, 'store'));
    await drainQueue();
  });

  it('stats, list and show see the -poison-poison queue, and flag a letter that would expire (issue 13 item 14)', async () => {
    const { queues } = connectStorage({ connectionString: azurite.connectionString });
    const poisonPoison = queues.getQueueClient(`${DEFAULTS.queue}-poison-poison`);
    await poisonPoison.createIfNotExists();
    const twice = deadLetterFor('STORE_THROTTLED', makeTelemetry(6, 1));
    await poisonPoison.sendMessage(Buffer.from(JSON.stringify(twice)).toString('base64')); // as the host copies it: 7-day TTL
    expect((await dlqCli(['--json', 'stats'])).json()).toMatchObject({ poisonPoison: { queue: poisonPoison.name, approximateCount: 1, sampleByCode: { STORE_THROTTLED: 1 }, expiring: 1 } });
    expect((await dlqCli(['stats'])).out).toMatch(/poison2\s+1 .*1 EXPIRING/);
    const listed = (await dlqCli(['--json', 'list', '--state', 'poison-poison'])).json() as { items: { id: string; expiresOn: string | null }[] };
    expect(listed.items).toMatchObject([{ id: twice.id, expiresOn: expect.any(String) }]);
    expect((await dlqCli(['--json', 'show', twice.id])).json()).toMatchObject({ state: 'poison-poison' });
    expect((await dlqCli(['--json', 'redrive', '--from', 'poison-poison', twice.id])).json()).toMatchObject({ redriven: [twice.id] });
    expect((await poisonPoison.getProperties()).approximateMessagesCount).toBe(0);
    expect((await drainQueue()).map((l) => l.id)).toContain(twice.id);
  });

  it('purge: dry run, refusal without confirmation, then deletion', async () => {
    await expect(dlqCli(['purge'])).rejects.toThrow(/add a filter, or --yes/);
    expect((await dlqCli(['--json', '--dry-run', 'purge', '--code', 'STORE_UNAVAILABLE'])).json()).toMatchObject({ dryRun: true, purged: [letters['store']!.id] });
    expect(await parking.get(letters['store']!.id)).toBeDefined();
    const unconfirmed = await dlqCli(['--json', 'purge', '--code', 'STORE_UNAVAILABLE'], false);
    expect(unconfirmed.json()).toMatchObject({ cancelled: true, purged: [] });
    expect(unconfirmed.failed).toBe(true);
    expect(await parking.get(letters['store']!.id)).toBeDefined();
    expect((await dlqCli(['--json', 'purge', letters['store']!.id], true)).json()).toMatchObject({ purged: [letters['store']!.id] });
    expect(await parkedIds()).toEqual([]);
  });
});
