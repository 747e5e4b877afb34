import { DEFAULT_INSTANCE_MEMORY_MB, heapLimitForInstance } from './spawn-host';

describe('heapLimitForInstance', () => {
  it('gives the V8 default for the instance size: a quarter of its memory', () => {
    expect(heapLimitForInstance(DEFAULT_INSTANCE_MEMORY_MB)).toBe(512);
    expect(heapLimitForInstance(4096)).toBe(1024);
    expect(heapLimitForInstance(512)).toBe(128);
  });
});

describe('the host CLI\'s stdout', () => {
  it('carries the ready line first and alone: what the app prints while loading goes to stderr', async () => {
    const { spawn } = await import('node:child_process');
    const { mkdtempSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const { pathToFileURL } = await import('node:url');
    const { hostBundle } = await import('./host-bundle');
    const { KEYS_ENV, SETTINGS_ENV } = await import('./host/run-host');
    const { fixture } = await import('./testing/records');
    const settings = { LOCAL_DURABLE_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'stdout-durable-')) };
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, hostBundle(), '--app', fixture('http-app/main.ts'), '--port', '0'], {
      env: { ...process.env, [SETTINGS_ENV]: JSON.stringify(settings), [KEYS_ENV]: '{}' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    try {
      const { waitUntil } = await import('@telemetry/local-services');
      await waitUntil(() => stdout.includes('\n') || child.exitCode !== null, { timeoutMs: 60_000, description: 'the ready line' });
      const lines = stdout.split('\n').filter(Boolean);
      expect(lines).toHaveLength(1);
      expect(JSON.parse(lines[0]!)).toMatchObject({ ready: true });
      expect(stderr).toContain('appStart says hello');
      // A partial line is logged when the process exits.
      expect(stderr).not.toContain('a last line without a newline');
      child.kill('SIGTERM');
      await exited;
      expect(stdout.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stderr).toContain('"message":"a last line without a newline"');
    } finally {
      child.kill('SIGTERM');
      await exited;
    }
  });
});
