import fc from 'fast-check';
import { CosmosClient } from '@azure/cosmos';
import type { QueueClient } from '@azure/storage-queue';
import { silentLogger } from '@telemetry/core';
import { connectStorage } from '@telemetry/azure-storage-queue';
import { decodeDeadLetter, type DeadLetter, type SourceEvent } from '@telemetry/contracts';
import { DEVICE_ID_PATTERN } from '@telemetry/device-state';
import { startAzurite, startCosmosServer, type AzuriteInstance, type CosmosServerInstance } from '@telemetry/local-services';
import { ensureDeadLetterResources, ensureDeviceStateContainer } from '@telemetry/provisioning';
import { createIngestionServices } from './services';
import { eventHubInvocation } from './testing/event-hub-invocation';
import { createIngestTelemetryHandler } from './functions/ingestTelemetry';

async function drainQueue(queue: QueueClient): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  for (;;) {
    const { receivedMessageItems } = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 600 });
    if (receivedMessageItems.length === 0) return out;
    out.push(...receivedMessageItems.map((m) => decodeDeadLetter(m.messageText)));
  }
}

let sequence = 0;
const event = (body: object, enqueuedTimeUtc: string): SourceEvent => {
  sequence++;
  return { body: Buffer.from(JSON.stringify(body)), partitionId: '0', sequenceNumber: sequence, offset: String(sequence * 100), enqueuedTimeUtc, partitionKey: null, properties: {} };
};

// Issue 13 items 1 and 2 through the real handler, the Cosmos server and Azurite.
describe('data integrity: device clocks and device ids (handler, Cosmos server, Azurite)', () => {
  let azurite: AzuriteInstance;
  let cosmos: CosmosServerInstance;
  let direct: CosmosClient;
  let run = 0;

  beforeAll(async () => {
    [azurite, cosmos] = await Promise.all([startAzurite(), startCosmosServer()]);
    direct = new CosmosClient({ endpoint: cosmos.endpoint, key: cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
  });
  afterAll(async () => {
    await Promise.all([azurite?.stop(), cosmos?.stop()]);
  });

  async function setup(overrides: Record<string, string> = {}) {
    run++;
    const env = {
      COSMOS_ENDPOINT: cosmos.endpoint, COSMOS_KEY: cosmos.key, COSMOS_DATABASE: `integrity${run}`, COSMOS_CONTAINER: 'devices',
      DeadLetterStorage: azurite.connectionString, DEAD_LETTER_QUEUE: `integrity${run}`, CLAIM_CHECK_CONTAINER: `integrity${run}`,
      STORE_MAX_ATTEMPTS: '2', STORE_RETRY_BASE_MS: '10', STORE_RETRY_MAX_MS: '50', DEAD_LETTER_MAX_ATTEMPTS: '2', ...overrides,
    };
    const container = await ensureDeviceStateContainer(direct, env.COSMOS_DATABASE, 'devices');
    const { queues, blobs } = connectStorage({ connectionString: azurite.connectionString });
    const queue = queues.getQueueClient(env.DEAD_LETTER_QUEUE);
    await ensureDeadLetterResources(queue, blobs.getContainerClient(env.CLAIM_CHECK_CONTAINER));
    const services = createIngestionServices(env, { logger: silentLogger });
    return { container, queue, handler: createIngestTelemetryHandler(() => services) };
  }

  it('a battery stamped 9999-12-31 is dead-lettered EVENT_CLOCK_SKEW and newer real events keep landing', async () => {
    const { container, queue, handler } = await setup();
    const enqueued = '2026-11-21T22:00:00.000Z';
    await handler(...eventHubInvocation([
      event({ deviceId: 'drone-00007', timestamp: '2026-11-21T21:59:00.000Z', battery: 0.9 }, enqueued),
      event({ deviceId: 'drone-00007', timestamp: '9999-12-31T23:59:59.000Z', battery: 0.01 }, enqueued),
    ]));
    const report = await handler(...eventHubInvocation([event({ deviceId: 'drone-00007', timestamp: '2026-11-21T22:01:00.000Z', battery: 0.8 }, '2026-11-21T22:01:00.500Z')]));
    expect(report).toMatchObject({ applied: 1, written: 1 });

    const { resource } = await container.item('drone-00007', 'drone-00007').read();
    expect(resource).toMatchObject({ battery: 0.8, lastEventTime: '2026-11-21T22:01:00.000Z', fieldTimes: { battery: '2026-11-21T22:01:00.000Z' } });
    const letters = await drainQueue(queue);
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({
      issue: { code: 'EVENT_CLOCK_SKEW', retryable: false, stage: 'validate', message: expect.stringContaining('the limit is 300 s (MAX_CLOCK_SKEW_SECONDS)') },
      enqueuedTimeUtc: enqueued, deviceId: 'drone-00007', decoded: { timestamp: '9999-12-31T23:59:59.000Z', battery: 0.01 },
    });
    expect(letters[0]!.issue.message).toContain('9999-12-31T23:59:59.000Z');
    expect(letters[0]!.issue.message).toContain(enqueued);
  });

  it('MAX_CLOCK_SKEW_SECONDS from the app settings is the limit', async () => {
    const enqueued = '2026-11-21T22:00:00.000Z';
    const twoMinutesAhead = () => [event({ deviceId: 'drone-00009', timestamp: '2026-11-21T22:02:00.000Z', battery: 0.5 }, enqueued)];
    expect(await (await setup()).handler(...eventHubInvocation(twoMinutesAhead()))).toMatchObject({ applied: 1, deadLettered: 0 });
    const strict = await setup({ MAX_CLOCK_SKEW_SECONDS: '60' });
    expect(await strict.handler(...eventHubInvocation(twoMinutesAhead()))).toMatchObject({ applied: 0, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
    expect((await drainQueue(strict.queue))[0]?.issue.message).toContain('the limit is 60 s');
  });

  it('MAX_EVENT_AGE_SECONDS from the app settings is the limit behind; by default a clock reset to 2000-01-01 is refused', async () => {
    const enqueued = '2026-11-21T22:00:00.000Z';
    const buffered = () => [
      event({ deviceId: 'drone-00010', timestamp: '2026-11-19T22:00:00.000Z', battery: 0.5 }, enqueued),
      event({ deviceId: 'drone-00011', timestamp: '2000-01-01T00:07:00.000Z', battery: 0.5 }, enqueued),
    ];
    const lenient = await setup();
    expect(await lenient.handler(...eventHubInvocation(buffered()))).toMatchObject({ applied: 1, deadLetteredByCode: { EVENT_CLOCK_SKEW: 1 } });
    expect((await drainQueue(lenient.queue)).map((l) => [l.deviceId, l.issue.code])).toEqual([['drone-00011', 'EVENT_CLOCK_SKEW']]);
    const strict = await setup({ MAX_EVENT_AGE_SECONDS: '86400' });
    expect(await strict.handler(...eventHubInvocation(buffered()))).toMatchObject({ applied: 0, deadLetteredByCode: { EVENT_CLOCK_SKEW: 2 } });
    expect((await drainQueue(strict.queue)).map((l) => l.issue.message)).toEqual([
      expect.stringContaining('the limit is 86400 s (MAX_EVENT_AGE_SECONDS)'),
      expect.stringContaining('the limit is 86400 s (MAX_EVENT_AGE_SECONDS)'),
    ]);
    expect(() => createIngestionServices({ MAX_EVENT_AGE_SECONDS: '60' }, { logger: silentLogger })).toThrow(/MAX_EVENT_AGE_SECONDS/);
  });

  it("'.' and '..' never reach the store; every accepted id is written, then replaced by a newer event", async () => {
    const { container, queue, handler } = await setup();
    // Accepted ids with dots in every position the pattern allows, plus the forms the store cannot address.
    const accepted = fc.sample(fc.stringMatching(/^[a.:_-]{0,5}[a-z0-9_:-]$/), { seed: 13, numRuns: 40 }).filter((id) => DEVICE_ID_PATTERN.test(id));
    const ids = [...new Set(['.a', 'a..b', '...a', '-', ...accepted])];
    const t0 = '2026-11-21T22:00:00.000Z';
    const first = [...ids, '.', '..'].map((deviceId) => event({ deviceId, timestamp: t0, battery: 0.5 }, t0));
    const firstReport = await handler(...eventHubInvocation(first));
    expect(firstReport).toMatchObject({ written: ids.length, deadLettered: 2, deadLetteredByCode: { EVENT_INVALID: 2 } });
    const t1 = '2026-11-21T22:00:10.000Z';
    const second = await handler(...eventHubInvocation(ids.map((deviceId) => event({ deviceId, timestamp: t1, battery: 0.25 }, t1))));
    expect(second).toMatchObject({ written: ids.length, deadLettered: 0 });

    // The container is intact and each document was replaced in place.
    const { resources } = await container.items.readAll().fetchAll();
    expect(resources.map((d) => d.id).sort()).toEqual([...ids].sort());
    for (const id of ids) {
      const { resource } = await container.item(id, id).read();
      expect([id, resource?.battery, resource?.lastEventTime]).toEqual([id, 0.25, t1]);
    }
    const letters = await drainQueue(queue);
    expect(letters.map((l) => [l.issue.code, JSON.parse(Buffer.from(l.body!, 'base64').toString()).deviceId]).sort()).toEqual([
      ['EVENT_INVALID', '.'],
      ['EVENT_INVALID', '..'],
    ]);
    expect(letters.every((l) => l.issue.message.includes('not ending with "."'))).toBe(true);
  });
});
