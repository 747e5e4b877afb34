import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture, readRecords, recordFile } from './testing/records';

// In Azure the breaker's switch writes AzureWebJobs_<fn>_Disabled into the app's settings: every
// instance stops, and a restarted instance stays stopped. The local switch (the admin API's
// pause) records the same in the stack's switch file, which every host follows.
describe('the switch file: a pause holds for every host of the app and outlives a restart', () => {
  let azurite: AzuriteInstance;
  let work: QueueClient;
  let dir: string;
  const hosts: SpawnedHost[] = [];
  const records = recordFile('switch-file');
  const seen = (id: string) => readRecords<{ message: { id: string } }>(records).filter((r) => r.message.id === id);
  const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64');
  const paused = async (host: SpawnedHost): Promise<boolean> => (await host.admin.listFunctions()).find((f) => f.name === 'work')?.paused === true;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'switch-file-'));
    azurite = await startAzurite();
    work = QueueServiceClient.fromConnectionString(azurite.connectionString).getQueueClient('switch-items');
    await work.create();
  });
  afterAll(async () => {
    await Promise.all(hosts.map((h) => h.stop()));
    await azurite?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const start = async (): Promise<SpawnedHost> => {
    const host = await spawnHost({
      app: fixture('queue-app/main.ts'),
      settings: { StorageConn: azurite.connectionString, WORK_QUEUE: 'switch-items', RECORD_FILE: records, AzureWebJobs_ignored_Disabled: '1', LOCAL_HOST_SWITCH_FILE: path.join(dir, 'switch.json') },
    });
    hosts.push(host);
    return host;
  };

  it('paused through one host, the other stops too; a host started meanwhile starts paused; resumed through either, both run', async () => {
    const a = await start();
    const b = await start();
    await a.admin.pause('work');
    expect(JSON.parse(readFileSync(path.join(dir, 'switch.json'), 'utf8'))).toEqual({ paused: ['work'] });
    expect(statSync(path.join(dir, 'switch.json')).mode & 0o777).toBe(0o600);
    await waitUntil(() => paused(b), { timeoutMs: 30_000, intervalMs: 100, description: 'the other host to follow the pause' });

    // A restart (a new instance) starts paused: the message waits in the queue.
    await b.stop();
    hosts.splice(hosts.indexOf(b), 1);
    const c = await start();
    expect(await paused(c)).toBe(true);
    await work.sendMessage(b64({ id: 'held-1' }));

    await c.admin.resume('work');
    await waitUntil(async () => !(await paused(a)), { timeoutMs: 30_000, intervalMs: 100, description: 'the first host to follow the resume' });
    await waitUntil(() => seen('held-1').length === 1, { timeoutMs: 60_000, description: 'the held message processed once resumed' });
    expect(JSON.parse(readFileSync(path.join(dir, 'switch.json'), 'utf8'))).toEqual({ paused: [] });
  }, 180_000);
});
