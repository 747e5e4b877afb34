import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnHost, type SpawnedHost } from '@telemetry/local-host';
import { HttpIngestionSwitch } from './http-ingestion-switch';

// The real local host with its HTTP fixture app: a paused function answers 503.
const FIXTURE = path.join(__dirname, '../../../tools/local-host/src/testing/fixtures/http-app/main.ts');

describe('HttpIngestionSwitch against the local host admin API', () => {
  let host: SpawnedHost;
  // The fixture also registers a Durable function: its task hub goes to a temp folder.
  const store = mkdtempSync(path.join(os.tmpdir(), 'switch-hub-'));
  beforeAll(async () => {
    host = await spawnHost({ app: FIXTURE, masterKey: 'master-key-for-tests-0123456789', settings: { LOCAL_DURABLE_STORE_DIR: store } });
  });
  afterAll(async () => {
    await host?.stop();
    rmSync(store, { recursive: true, force: true });
  });

  it('pauses and resumes a function through the admin API', async () => {
    const toggle = new HttpIngestionSwitch({ url: `${host.baseUrl}/admin/functions`, key: 'master-key-for-tests-0123456789', functionNames: ['hello'] });
    await toggle.pause();
    expect((await fetch(`${host.baseUrl}/api/hello/world`)).status).toBe(503);
    expect((await host.admin.listFunctions()).find((f) => f.name === 'hello')).toMatchObject({ paused: true });
    await toggle.pause(); // idempotent
    await toggle.resume();
    expect((await fetch(`${host.baseUrl}/api/hello/world`)).status).toBe(200);
    expect(toggle.description).not.toContain('master-key');
  });

  it('fails with a coded error on a wrong key', async () => {
    const toggle = new HttpIngestionSwitch({ url: `${host.baseUrl}/admin/functions`, key: 'wrong', functionNames: ['hello'] });
    await expect(toggle.pause()).rejects.toMatchObject({ name: 'PipelineError', message: expect.stringContaining('401') });
  });
});
