import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture, readRecords, recordFile } from './testing/records';

interface QueueRecord {
  fn: string;
  message: { id: string; fail?: boolean };
  triggerMetadata: Record<string, unknown>;
}

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');

describe('queue trigger (Azurite, spawned host)', () => {
  let azurite: AzuriteInstance;
  let host: SpawnedHost;
  let work: QueueClient;
  let poison: QueueClient;
  let ignored: QueueClient;
  const records = recordFile('queue');
  const seen = (id: string): QueueRecord[] => readRecords<QueueRecord>(records).filter((r) => r.message.id === id);
  const count = async (q: QueueClient): Promise<number> => (await q.getProperties()).approximateMessagesCount ?? -1;

  beforeAll(async () => {
    azurite = await startAzurite();
    const service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    work = service.getQueueClient('work-items');
    poison = service.getQueueClient('work-items-poison');
    ignored = service.getQueueClient('ignored-q');
    await Promise.all([work.create(), ignored.create()]);
    host = await spawnHost({
      app: fixture('queue-app/main.ts'),
      settings: { StorageConn: azurite.connectionString, WORK_QUEUE: 'work-items', RECORD_FILE: records, AzureWebJobs_ignored_Disabled: '1' },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('resolves %WORK_QUEUE%, decodes base64, passes the trigger metadata and deletes on success', async () => {
    await work.sendMessage(b64({ id: 'ok-1' }));
    await waitUntil(() => seen('ok-1').length > 0, { timeoutMs: 60_000, description: 'ok-1 processed' });
    const [received] = seen('ok-1');
    // The host sends QueueTrigger as a string; the library JSON-parses strings that parse, as in Azure.
    expect(received!.triggerMetadata).toMatchObject({ queueTrigger: { id: 'ok-1' }, dequeueCount: 1 });
    for (const key of ['expirationTime', 'id', 'insertionTime', 'nextVisibleTime', 'popReceipt']) {
      expect(typeof received!.triggerMetadata[key]).toBe('string');
    }
    await waitUntil(async () => (await count(work)) === 0, { timeoutMs: 60_000, description: 'ok-1 deleted' });
  });

  it('a failing message is retried with a growing dequeueCount, then moved to <queue>-poison', async () => {
    const text = b64({ id: 'bad-1', fail: true });
    await work.sendMessage(text);
    // The host copies to -poison, then deletes from the queue: wait for both.
    await waitUntil(async () => (await count(poison).catch(() => 0)) === 1 && (await count(work)) === 0, { timeoutMs: 60_000, description: 'poison message moved' });
    expect(seen('bad-1').map((r) => r.triggerMetadata['dequeueCount'])).toEqual([1, 2, 3]);
    const { peekedMessageItems } = await poison.peekMessages();
    expect(peekedMessageItems[0]?.messageText).toBe(text);
    const metrics = await host.admin.metrics();
    expect(metrics['work']).toMatchObject({ failures: 3, successes: 1 });
  });

  it('a function disabled by AzureWebJobs_<fn>_Disabled does not consume its queue', async () => {
    await ignored.sendMessage(b64({ id: 'ignored-1' }));
    // Let the working function prove the host is polling, then check the disabled queue.
    await work.sendMessage(b64({ id: 'ok-2' }));
    await waitUntil(() => seen('ok-2').length > 0, { timeoutMs: 60_000, description: 'ok-2 processed' });
    expect(await count(ignored)).toBe(1);
    expect(seen('ignored-1')).toEqual([]);
    expect((await host.admin.listFunctions()).find((f) => f.name === 'ignored')).toMatchObject({ state: 'disabled', disabled: true });
  });

  it('pause stops polling, resume picks up what arrived meanwhile', async () => {
    await host.admin.pause('work');
    await work.sendMessage(b64({ id: 'while-paused' }));
    expect((await host.admin.listFunctions()).find((f) => f.name === 'work')?.paused).toBe(true);
    expect(await count(work)).toBe(1);
    await host.admin.resume('work');
    await waitUntil(() => seen('while-paused').length > 0, { timeoutMs: 60_000, description: 'processed after resume' });
  });
});
