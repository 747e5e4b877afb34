import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loopbackEndpoints, probeTcp, waitUntil } from '@telemetry/local-services';
import { WORKSPACE_ROOT } from './build-apps';

const TSX = require.resolve('tsx');
/** In the environment of the stack and everything it starts: what a failed run left behind is found by it. */
const MARKER = 'TERMINAL_CLOSE_SPEC_DIR';

// Closing the terminal that runs `npm run dev` sends SIGHUP to its processes. The services run in
// their own process groups and never see it: unless the stack stops them, they are left running
// (and the next `npm run dev` is refused: the old descriptor's endpoints still answer).
describe('npm run dev: a closed terminal (SIGHUP) stops everything the stack started', () => {
  let dir: string;
  let child: ChildProcess | undefined;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'terminal-close-'));
  });
  afterAll(() => {
    try {
      if (child?.pid) process.kill(-child.pid, 'SIGKILL');
    } catch {
      // the group is gone
    }
    // Whatever a failure left behind: every process that inherited this spec's marker.
    for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
      try {
        if (readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0').includes(`${MARKER}=${dir}`)) process.kill(Number(pid), 'SIGKILL');
      } catch {
        // gone, or not ours
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('every endpoint of the stack stops answering', async () => {
    const stackFile = path.join(dir, 'stack.json');
    let out = '';
    child = spawn(process.execPath, ['--import', TSX, path.join(WORKSPACE_ROOT, 'tools/local-stack/src/cli/start.ts'), '--dev', '--apps', 'ingestion', '--data', path.join(dir, 'data'), '--stack-file', stackFile], {
      cwd: WORKSPACE_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, [MARKER]: dir },
    });
    child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr!.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await waitUntil(() => out.includes('stack ready'), { timeoutMs: 240_000, intervalMs: 250, description: `the stack to be ready (output so far: ${out.slice(-500)})` });
    const endpoints = loopbackEndpoints(readFileSync(stackFile, 'utf8'));
    expect(endpoints.length).toBeGreaterThanOrEqual(5);
    expect(await Promise.all(endpoints.map((e) => probeTcp(e)))).toContain('open');

    process.kill(-child.pid!, 'SIGHUP'); // the whole group, as a terminal does
    await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error(`npm run dev did not exit after SIGHUP: ${out.slice(-500)}`)), 120_000))]);
    await waitUntil(async () => (await Promise.all(endpoints.map((e) => probeTcp(e, 1_000)))).every((state) => state !== 'open'), {
      timeoutMs: 60_000, intervalMs: 500, description: 'every endpoint of the stack to stop answering',
    });
    expect(out).toContain('stopping everything');
  }, 480_000);
});
