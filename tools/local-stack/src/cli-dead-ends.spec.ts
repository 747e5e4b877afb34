import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, loopbackEndpoints, probeTcp } from '@telemetry/local-services';
import { WORKSPACE_ROOT } from './build-apps';
import { DEFAULT_REPORTS_DIR } from './reports-dir';

const TSX = require.resolve('tsx');

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a workspace CLI as `npm run <x>` does (tsx), bounded; never throws on a non-zero exit. */
async function runCli(script: string, args: string[]): Promise<CliRun> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', TSX, path.join(WORKSPACE_ROOT, script), ...args], { cwd: WORKSPACE_ROOT, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string; killed?: boolean };
    if (e.killed) throw new Error(`${script} ${args.join(' ')} did not end within 120 s`);
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('stale stack: a descriptor left by a stack that has stopped', () => {
  let dir: string;
  let stackFile: string;
  let recordFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'stale-stack-'));
    stackFile = path.join(dir, 'stack.json');
    recordFile = path.join(dir, 'sent.ndjson');
    // Ports nothing listens on any more: what `npm start -- --once` leaves behind.
    const [blob, queue, table, hubs, cosmos] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
    const key = Buffer.from('not-a-real-key').toString('base64');
    await writeFile(stackFile, JSON.stringify({
      eventHubs: { connectionString: `Endpoint=sb://127.0.0.1:${hubs};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${key};UseDevelopmentEmulator=true`, hubName: 'telemetry', consumerGroup: 'ingestion', partitions: 4 },
      storage: { connectionString: `DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=${key};BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;QueueEndpoint=http://127.0.0.1:${queue}/devstoreaccount1;TableEndpoint=http://127.0.0.1:${table}/devstoreaccount1;` },
      cosmos: { endpoint: `https://127.0.0.1:${cosmos}/`, key, database: 'telemetry', container: 'devices' },
      queues: {}, apps: {}, dataDir: dir, startedAt: new Date().toISOString(),
    }));
    await writeFile(recordFile, '');
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const oneLine = (run: CliRun): string => {
    const lines = run.stderr.trim().split('\n').filter((l) => !/^\(node:\d+\)|--trace-warnings/.test(l));
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  it('npm run dlq -- stats: one line saying no stack runs and how to start one (no ECONNREFUSED)', async () => {
    const run = await runCli('tools/dlq-cli/src/cli.ts', ['--stack', stackFile, 'stats']);
    expect(run.code).toBe(1);
    const line = oneLine(run);
    expect(line).toMatch(/no local stack is running.*npm run dev/);
    expect(line).not.toMatch(/ECONNREFUSED/);
  }, 180_000);

  it('npm run dlq -- --json stats: the error as JSON on stdout', async () => {
    const run = await runCli('tools/dlq-cli/src/cli.ts', ['--json', '--stack', stackFile, 'stats']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ error: { code: 'STACK_NOT_RUNNING', message: expect.stringMatching(/npm run dev/) } });
  }, 180_000);

  it('npm run simulate: says so at once instead of retrying for a minute (and as JSON with --json)', async () => {
    const text = await runCli('tools/simulator/src/cli.ts', ['--stack', stackFile, '--count', '10', '--no-progress']);
    expect(text.code).toBe(1);
    expect(oneLine(text)).toMatch(/no local stack is running.*npm run dev/);
    const json = await runCli('tools/simulator/src/cli.ts', ['--stack', stackFile, '--count', '10', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { code: 'STACK_NOT_RUNNING' } });
  }, 240_000);

  it('npm run simulate -- --json with no descriptor at all: a JSON error naming npm run dev', async () => {
    const run = await runCli('tools/simulator/src/cli.ts', ['--stack', path.join(dir, 'absent.json'), '--json']);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { message: expect.stringMatching(/npm run dev/) } });
  }, 180_000);

  it('npm run checkpoints -- status: says so at once (it took 90 s of retries ending in ECONNREFUSED)', async () => {
    const run = await runCli('tools/checkpoints-cli/src/cli.ts', ['--stack', stackFile, 'status']);
    expect(run.code).toBe(1);
    expect(oneLine(run)).toMatch(/^checkpoints: no local stack is running.*npm run dev/);
  }, 180_000);

  it('npm run audit -- a record of another (stopped) run: said at once, not every event reported lost', async () => {
    const other = path.join(dir, 'other-run');
    await mkdir(path.join(other, 'azurite'), { recursive: true });
    await writeFile(path.join(other, 'sent.ndjson'), '');
    const run = await runCli('tools/fault-matrix/src/audit-cli.ts', ['--stack', stackFile, '--record', path.join(other, 'sent.ndjson'), '--json']);
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'RECORD_FROM_ANOTHER_RUN', message: expect.stringMatching(/stores stopped with it/) } });
  }, 180_000);

  it('npm run audit -- --json: the stale stack as a JSON error', async () => {
    const run = await runCli('tools/fault-matrix/src/audit-cli.ts', ['--stack', stackFile, '--record', recordFile, '--json']);
    expect(run.code).not.toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ error: { code: 'STACK_NOT_RUNNING', message: expect.stringMatching(/npm run dev/) } });
  }, 180_000);
});

describe('stack liveness probe', () => {
  let server: Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  it('finds the loopback endpoints of connection strings and URLs', () => {
    expect(loopbackEndpoints('Endpoint=sb://127.0.0.1:5671;SharedAccessKeyName=x;BlobEndpoint=http://127.0.0.1:41000/acc;')).toEqual(['127.0.0.1:5671', '127.0.0.1:41000']);
    expect(loopbackEndpoints('Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=x')).toEqual([]);
  });

  it('refused when nothing listens, open when something does', async () => {
    expect(await probeTcp(`127.0.0.1:${await freePort()}`)).toBe('refused');
    server = createServer((s) => s.destroy());
    const port = await new Promise<number>((resolve) => server!.listen(0, '127.0.0.1', () => resolve((server!.address() as { port: number }).port)));
    expect(await probeTcp(`127.0.0.1:${port}`)).toBe('open');
  });
});

describe('report output location', () => {
  it('bench and test:faults write to a git-ignored folder unless --out docs is given', async () => {
    const ignored = await promisify(execFile)('git', ['check-ignore', path.join(DEFAULT_REPORTS_DIR, 'benchmarks.md')], { cwd: WORKSPACE_ROOT });
    expect(ignored.stdout.trim()).not.toBe('');
    for (const script of ['tools/bench/src/cli.ts', 'tools/fault-matrix/src/cli.ts']) {
      const help = await runCli(script, ['--help']);
      expect(help.code).toBe(0);
      expect(help.stdout.replace(/\s+/g, ' ')).toContain(`(default: "${DEFAULT_REPORTS_DIR}")`);
      expect(help.stdout.replace(/\s+/g, ' ')).toMatch(/--out docs/);
    }
  }, 240_000);
});

describe('npm run dashboard -- --help', () => {
  it('prints the options (commander, as every other command)', async () => {
    const help = await runCli('apps/dashboard/src/serve-cli.ts', ['--stack', '.local/stack.json', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/Usage: npm run dashboard/);
    expect(help.stdout).toMatch(/--api <url>/);
  }, 120_000);
});

describe('npm run simulate: a wrong endpoint or flags', () => {
  it('an unreachable hub fails within --connect-timeout, and the error never shows the key', async () => {
    const port = await freePort();
    const run = await runCli('tools/simulator/src/cli.ts', [
      '--connection-string', `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SECRETKEY123;EntityPath=telemetry`,
      '--count', '5', '--no-progress', '--connect-timeout', '2',
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/cannot reach the event hub telemetry at 127\.0\.0\.1/);
    expect(`${run.stdout}${run.stderr}`).not.toContain('SECRETKEY123');
    const conflict = await runCli('tools/simulator/src/cli.ts', ['--count', '5', '--duration', '3']);
    expect(conflict.code).not.toBe(0);
    expect(conflict.stderr).toMatch(/give --count or --duration, not both/);
  }, 180_000);
});

describe('npm start: bad values are refused before anything starts', () => {
  it.each([
    // Each run loads the stack's code (seconds under tsx): one of each kind of check.
    [['--devices', '0'], /--devices must be a whole number from 1/],
    [['--corrupt', '2'], /--corrupt must be a ratio from 0 to 1/],
    [['--apps', 'nope'], /--apps: unknown app\(s\) nope; the function apps are .*ingestion/],
  ])('%j', async (args, message) => {
    const run = await runCli('tools/local-stack/src/cli/start.ts', ['--once', '--stack-file', path.join(tmpdir(), 'never-written.json'), ...args]);
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(message);
    // Refused while parsing: nothing was started (the banner comes after the options are checked).
    expect(run.stdout).not.toMatch(/starting the local stack/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);
});

describe('a second stack never replaces the descriptor of one that still runs', () => {
  const servers: Server[] = [];
  afterAll(() => Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())))));
  const listening = async (): Promise<number> => {
    const server = createServer((s) => s.destroy());
    servers.push(server);
    return new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  };

  it('refuses with STACK_ALREADY_RUNNING while every endpoint it names answers; a stopped stack\'s file is replaced as before', async () => {
    const { assertNoLiveStack } = await import('./live-stack-guard');
    const dir = await mkdtemp(path.join(tmpdir(), 'live-stack-'));
    try {
      const [hubs, blob] = [await listening(), await listening()];
      const live = path.join(dir, 'live.json');
      await writeFile(live, JSON.stringify({
        eventHubs: { connectionString: `Endpoint=sb://127.0.0.1:${hubs};SharedAccessKeyName=k;SharedAccessKey=a2V5` },
        storage: { connectionString: `BlobEndpoint=http://127.0.0.1:${blob}/devstoreaccount1;` }, startedAt: '2026-12-02T03:00:00.000Z',
      }));
      await expect(assertNoLiveStack(live)).rejects.toMatchObject({ code: 'STACK_ALREADY_RUNNING', message: expect.stringMatching(/already running .*started 2026-12-02T03:00:00.000Z.*answering at 127\.0\.0\.1:\d+.*--stack-file/) });
      // Most endpoints answer (one app host crashed): still live.
      const mostly = path.join(dir, 'mostly.json');
      await writeFile(mostly, JSON.stringify({ a: `sb://127.0.0.1:${hubs}`, b: `http://127.0.0.1:${blob}/`, c: `http://127.0.0.1:${await listening()}/`, d: `http://127.0.0.1:${await freePort()}/`, dataDir: '/tmp/stack-data' }));
      await expect(assertNoLiveStack(mostly)).rejects.toMatchObject({ message: expect.stringContaining('pkill -f "/tmp/stack-data"') });
      // A stopped stack whose one port another program now holds: not live.
      const stale = path.join(dir, 'stale.json');
      await writeFile(stale, JSON.stringify({ eventHubs: { connectionString: `Endpoint=sb://127.0.0.1:${hubs};` }, storage: { connectionString: `BlobEndpoint=http://127.0.0.1:${await freePort()}/a;` }, cosmos: { endpoint: `http://127.0.0.1:${await freePort()}/` } }));
      await expect(assertNoLiveStack(stale)).resolves.toBeUndefined();
      await expect(assertNoLiveStack(path.join(dir, 'absent.json'))).resolves.toBeUndefined();
      await writeFile(path.join(dir, 'junk.json'), '{not json');
      await expect(assertNoLiveStack(path.join(dir, 'junk.json'))).resolves.toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
