import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { EventHubProducerClient, type MessagingError } from '@azure/event-hubs';
import { QueueServiceClient } from '@azure/storage-queue';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { AZURITE_KEY, waitUntil } from '@telemetry/local-services';
import { simulate } from '@telemetry/simulator';
import { waitForDrain } from './drain';
import { queueDeadLetters, reconcile } from './reconcile';
import { runScenario } from './run-scenario';
import { startLocalStack, type LocalStack } from './start-stack';

// Generous: CI shares a loaded 2-core machine.
jest.setTimeout(300_000);

describe('the local stack end to end (ingestion under the local host)', () => {
  let stack: LocalStack;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'stack-'));
    stack = await startLocalStack({
      dataDir,
      apps: ['ingestion'],
      // A killed host's partitions move after 5 s instead of the default minute.
      hostJsonExtensions: { ingestion: { eventHubs: { loadBalancingUpdateInterval: '00:00:01', partitionOwnershipExpirationInterval: '00:00:05' } } },
    });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('a scenario with corrupt and duplicate events reconciles: nothing lost, every device equals the model', async () => {
    const summary = await runScenario(stack, {
      devices: 100, count: 3000, rate: 0, corruptRatio: 0.02, duplicateRatio: 0.05, keyFrameEvery: 10, seed: 7, drainTimeoutMs: 120_000,
    });
    const r = summary.reconciliation;
    expect(r).toMatchObject({ lost: 0, devicesMismatched: [], devicesStored: 100, ok: true });
    expect(r.applied + r.superseded + r.deadLettered).toBe(summary.simulation.sent);
    expect(r.deadLettered).toBeGreaterThan(0);
    expect(summary.latencyMs.count).toBeGreaterThan(0);
  });

  it('runs the Event Hubs emulator with SAS on (a wrong key is refused) and keeps every key off command lines', async () => {
    const { connectionString, hubName } = stack.descriptor.eventHubs;
    const key = /SharedAccessKey=([^;]+)/.exec(connectionString)?.[1] ?? '';
    expect(Buffer.from(key, 'base64').length).toBe(32);
    const wrong = new EventHubProducerClient(connectionString.replace(key, Buffer.alloc(32, 1).toString('base64')), hubName, { retryOptions: { maxRetries: 0, timeoutInMs: 60_000 } });
    try {
      await expect(wrong.getEventHubProperties()).rejects.toMatchObject({ code: 'UnauthorizedError' } satisfies Partial<MessagingError>);
    } finally {
      await wrong.close();
    }
    const { masterKey, functionKey } = stack.descriptor.apps['ingestion']!;
    for (const pid of [stack.emulator.pid, stack.hosts.get('ingestion')!.pid]) {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      for (const secret of [key, masterKey, functionKey]) expect(cmdline).not.toContain(secret);
    }
  });

  it('gives the apps a Listen-only Event Hubs rule: ingestion consumes but cannot send', async () => {
    const environ = readFileSync(`/proc/${stack.hosts.get('ingestion')!.pid}/environ`, 'utf8').split('\0');
    const settings = JSON.parse(environ.find((e) => e.startsWith('LOCAL_HOST_SETTINGS='))!.slice('LOCAL_HOST_SETTINGS='.length)) as Record<string, string>;
    const appConnection = settings['EventHubConnection']!;
    expect(appConnection).toContain('SharedAccessKeyName=AppsListen;');
    const manageKey = /SharedAccessKey=([^;]+)/.exec(stack.descriptor.eventHubs.connectionString)?.[1] ?? '';
    expect(environ.join('\n')).not.toContain(manageKey);
    const producer = new EventHubProducerClient(appConnection, stack.descriptor.eventHubs.hubName, { retryOptions: { maxRetries: 0, timeoutInMs: 60_000 } });
    try {
      expect((await producer.getEventHubProperties()).partitionIds.length).toBe(stack.descriptor.eventHubs.partitions);
      await expect(producer.sendBatch([{ body: 'injected' }])).rejects.toMatchObject({ code: 'UnauthorizedError' } satisfies Partial<MessagingError>);
    } finally {
      await producer.close();
    }
  });

  it("runs Azurite with the stack's own account key: the published key is refused, and the key is on no command line", async () => {
    const { connectionString } = stack.descriptor.storage;
    const key = /AccountKey=([^;]+)/.exec(connectionString)?.[1] ?? '';
    expect(key).not.toBe(AZURITE_KEY);
    const own = QueueServiceClient.fromConnectionString(connectionString);
    expect((await own.getProperties()).cors).toBeDefined();
    const published = QueueServiceClient.fromConnectionString(connectionString.replace(key, AZURITE_KEY), { retryOptions: { maxTries: 1 } });
    await expect(published.getProperties()).rejects.toMatchObject({ statusCode: 403 });
    const azuritePid = stack.azurite.pid;
    expect(azuritePid).toBeDefined();
    expect(readFileSync(`/proc/${azuritePid}/cmdline`, 'utf8')).not.toContain(key);
  });

  it('a host killed with SIGKILL mid-run is replaced and the run still reconciles', async () => {
    const d = stack.descriptor;
    const first = stack.hosts.get('ingestion')!;
    const sending = simulate({
      connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: 50, count: 4000, rate: 1000,
      keyFrameEvery: 5, corruptRatio: 0, duplicateRatio: 0.05, seed: 99,
    });
    const before = (await first.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0;
    await waitUntil(async () => ((await first.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0) > before + 500, {
      timeoutMs: 60_000, description: 'the first host to process part of the run',
    });
    await first.kill();
    const second = await stack.startHost('ingestion');
    const { events } = await sending;
    await waitForDrain(d, { timeoutMs: 120_000 });
    const r = await reconcile(d, events, [queueDeadLetters(d)]);
    expect(r).toMatchObject({ lost: 0, devicesMismatched: [], ok: true });
    expect((await second.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0).toBeGreaterThan(0);
  });
});
