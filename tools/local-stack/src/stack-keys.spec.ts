import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StackDescriptor } from '@telemetry/contracts';
import { startLocalStack, type LocalStack } from './start-stack';

// Generous: CI shares a loaded 2-core machine.
jest.setTimeout(300_000);

describe('the local stack keys: one set per app, as in Azure, in a 0600 descriptor', () => {
  let stack: LocalStack;
  let dataDir: string;
  const descriptorFile = (): string => path.join(dataDir, 'stack.json');

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'stack-keys-'));
    // A descriptor left world-readable by an older run must not keep that mode.
    writeFileSync(descriptorFile(), '{}', { mode: 0o644 });
    stack = await startLocalStack({ dataDir, apps: ['ingestion', 'device-status'], dashboard: false, descriptorFile: descriptorFile() });
  });
  afterAll(async () => {
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it("no two apps share a key, and one app's keys open nothing on another's host", async () => {
    const apps = stack.descriptor.apps;
    const ingestion = apps['ingestion']!;
    const status = apps['device-status']!;
    const all = [ingestion.masterKey, ingestion.functionKey, status.masterKey, status.functionKey];
    expect(new Set(all).size).toBe(4);
    const admin = (baseUrl: string, key: string): Promise<number> => fetch(`${baseUrl}/admin/functions`, { headers: { 'x-functions-key': key } }).then((r) => r.status);
    expect(await admin(status.baseUrl, status.masterKey)).toBe(200);
    expect(await admin(status.baseUrl, ingestion.masterKey)).toBe(401);
    expect(await admin(ingestion.baseUrl, status.masterKey)).toBe(401);
    // A function-level route of device-status: its own function key passes auth, ingestion's does not.
    const devices = (key: string): Promise<number> => fetch(`${status.baseUrl}/api/devices`, { headers: { 'x-functions-key': key } }).then((r) => r.status);
    expect(await devices(ingestion.functionKey)).toBe(401);
    expect(await devices(status.functionKey)).not.toBe(401);
  });

  it("an app's settings carry another app's key only when it uses it (device-status never gets ingestion's master key)", () => {
    const ingestionMaster = stack.descriptor.apps['ingestion']!.masterKey;
    // The host's initial environment holds its settings (LOCAL_HOST_SETTINGS); readable by its owner.
    const environ = (app: string): string => readFileSync(`/proc/${stack.hosts.get(app)!.pid}/environ`, 'utf8');
    expect(environ('device-status')).toContain('LOCAL_HOST_SETTINGS');
    expect(environ('device-status')).not.toContain(ingestionMaster);
    expect(environ('ingestion')).not.toContain(stack.descriptor.apps['device-status']!.masterKey);
    // Nor the breaker's approval signing key (it mints approval links): the breaker's alone.
    for (const app of ['device-status', 'ingestion']) expect(environ(app)).not.toContain('APPROVAL_SIGNING_KEY');
    // Nor any key of the breaker (issue 13 item 6; with a breaker in the stack: app-keys.spec.ts).
    expect(environ('device-status')).not.toContain('BREAKER_STATUS_KEY');
  });

  it('writes the descriptor readable by its owner only, even over an older world-readable one', async () => {
    expect(statSync(descriptorFile()).mode & 0o777).toBe(0o600);
    const written = JSON.parse(await readFile(descriptorFile(), 'utf8')) as StackDescriptor;
    expect(written.apps['device-status']?.functionKey).toBe(stack.descriptor.apps['device-status']?.functionKey);
  });
});
