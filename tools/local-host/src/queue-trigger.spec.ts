import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { startAzurite, startFaultProxy, waitUntil, type AzuriteInstance, type FaultProxy } from '@telemetry/local-services';
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
  /** The host reaches the queue service through it (storage faults). */
  let proxy: FaultProxy;
  let host: SpawnedHost;
  let work: QueueClient;
  let poison: QueueClient;
  let ignored: QueueClient;
  let side: QueueClient;
  let service: QueueServiceClient;
  const records = recordFile('queue');
  const seen = (id: string): QueueRecord[] => readRecords<QueueRecord>(records).filter((r) => r.message.id === id);
  const count = async (q: QueueClient): Promise<number> => (await q.getProperties()).approximateMessagesCount ?? -1;

  beforeAll(async () => {
    azurite = await startAzurite();
    service = QueueServiceClient.fromConnectionString(azurite.connectionString);
    work = service.getQueueClient('work-items');
    poison = service.getQueueClient('work-items-poison');
    ignored = service.getQueueClient('ignored-q');
    side = service.getQueueClient('side-q-poison');
    await Promise.all([work.create(), ignored.create(), side.create()]);
    proxy = await startFaultProxy(`http://127.0.0.1:${azurite.queuePort}`);
    const proxied = azurite.connectionString.replace(`:${azurite.queuePort}/`, `:${proxy.port}/`);
    host = await spawnHost({
      app: fixture('queue-app/main.ts'),
      settings: { StorageConn: proxied, WORK_QUEUE: 'work-items', RECORD_FILE: records, AzureWebJobs_ignored_Disabled: '1' },
    });
  });
  afterAll(async () => {
    await host?.stop();
    await proxy?.close();
    await azurite?.stop();
  });

  /**
   * Holds `id` in its invocation (the fixture waits for its gate file), throttles the queue service
   * (429, which the Functions host's client retries and the JS client does not), opens the gate and
   * waits until the settle call `method` got its 429; then the service answers again.
   */
  async function throttleSettle(id: string, method: 'PUT' | 'DELETE'): Promise<void> {
    await waitUntil(() => seen(id).length === 1, { timeoutMs: 60_000, description: `${id} processing` });
    const from = Date.now();
    proxy.setMode({ kind: 'throttle', retryAfterMs: 100 });
    try {
      writeFileSync(path.join(path.dirname(records), `gate-${id}`), '');
      await waitUntil(() => proxy.requests().some((r) => r.at >= from && r.method === method && r.path.includes('/messages/') && r.status === 429), {
        timeoutMs: 60_000, description: `the ${method} settling ${id} throttled`,
      });
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
  }

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

  it('a message that is not base64 goes to <queue>-poison as it came, and the function never sees it', async () => {
    const raw = JSON.stringify({ id: 'raw-1' }); // '{' is outside the base64 alphabet: .NET's decoder refuses it
    const before = await count(poison).catch(() => 0);
    await work.sendMessage(raw);
    await waitUntil(async () => (await count(poison).catch(() => 0)) === before + 1 && (await count(work)) === 0, { timeoutMs: 60_000, description: 'undecodable message moved' });
    expect((await poison.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.map((m) => m.messageText)).toContain(raw);
    expect(seen('raw-1')).toEqual([]);
  });

  it('a queue named *-poison has no poison queue: a failed message is neither released nor moved, it stays hidden for its lease', async () => {
    await side.sendMessage(b64({ id: 'side-bad', fail: true }));
    await waitUntil(() => seen('side-bad').length === 1, { timeoutMs: 60_000, description: 'side-bad tried' });
    // A message sent after the failure and processed proves the host polled the queue since; a
    // released message (visibilityTimeout 0 here) would have come back with it.
    await side.sendMessage(b64({ id: 'side-ok' }));
    await waitUntil(async () => seen('side-ok').length === 1 && (await count(side)) === 1, { timeoutMs: 60_000, description: 'side-ok processed and deleted' });
    expect(seen('side-bad')).toHaveLength(1);
    expect((await side.peekMessages()).peekedMessageItems).toEqual([]); // still there, hidden
    expect(await service.getQueueClient('side-q-poison-poison').exists()).toBe(false);
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

  it('a pause while a receive is on the wire lets it finish: what it brought is processed, not hidden for the lease', async () => {
    await waitUntil(async () => (await count(work)) === 0, { timeoutMs: 60_000, description: 'the work queue empty' });
    // The service hides the message as it serves the receive; its answer reaches the host 8 s later:
    // time for this test to see it hidden and pause, even on a loaded machine, and within the 10 s a
    // pause waits for a receive on the wire.
    proxy.setMode({ kind: 'slow', delayMs: 8_000 });
    try {
      await work.sendMessage(b64({ id: 'on-the-wire' }));
      await waitUntil(async () => (await work.peekMessages()).peekedMessageItems.length === 0 && (await count(work)) === 1, {
        timeoutMs: 60_000, intervalMs: 20, description: 'the message served to a receive whose answer is on its way',
      });
      expect(seen('on-the-wire')).toEqual([]);
      await host.admin.pause('work');
    } finally {
      proxy.setMode({ kind: 'pass' });
    }
    // Cut off, the receive would leave the message hidden for 10 minutes with no one holding it.
    await waitUntil(() => seen('on-the-wire').length > 0, { timeoutMs: 60_000, description: 'on-the-wire processed' });
    await waitUntil(async () => (await count(work)) === 0, { timeoutMs: 60_000, description: 'on-the-wire deleted' });
    await host.admin.resume('work');
  });

  // A settle call that fails for good leaves its message hidden for the rest of its 10-minute lease
  // (as in Azure): these fail without the host's retries, within bounds far below that lease.
  it('a delete the service throttles is retried as the Functions host\'s client retries it: the processed message leaves the queue', async () => {
    const gate = path.join(path.dirname(records), 'gate-delete-1');
    await work.sendMessage(b64({ id: 'delete-1', gate }));
    await throttleSettle('delete-1', 'DELETE');
    await waitUntil(async () => (await count(work)) === 0, { timeoutMs: 60_000, description: 'delete-1 deleted' });
    expect(seen('delete-1')).toHaveLength(1);
  });

  it('a release the service throttles is retried: the failed message is delivered again after visibilityTimeout, not after its lease', async () => {
    const gate = path.join(path.dirname(records), 'gate-release-1');
    await work.sendMessage(b64({ id: 'release-1', fail: true, gate }));
    await throttleSettle('release-1', 'PUT');
    await waitUntil(() => seen('release-1').length >= 2, { timeoutMs: 60_000, description: 'release-1 delivered again' });
    expect(seen('release-1')[1]!.triggerMetadata['dequeueCount']).toBe(2);
  });
});
