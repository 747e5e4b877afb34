import { readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { StackDescriptor } from '@telemetry/contracts';
import { ManagedProcess } from '@telemetry/local-services';
import { discoverFunctionApps, WORKSPACE_ROOT } from './build-apps';

// Generous: each serve starts its own services and a host on a loaded 2-core machine.
jest.setTimeout(900_000);

/**
 * `npx nx run <app>:serve` for every function app, one after another (one stack at a time keeps
 * the 2-core CI box usable): the progress lines, the ready line, the host's admin status; the last
 * one under --inspect, whose inspector answers on the printed port.
 */
describe('every function app serves alone on the local stack (nx run <app>:serve)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'serve-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const apps = discoverFunctionApps();

  it('lists the four function apps, each with a serve target (the dashboard keeps its own command)', () => {
    expect(apps).toEqual(['circuit-breaker', 'dead-letter-reprocessor', 'device-status', 'ingestion']);
    for (const app of apps) {
      const project = JSON.parse(readFileSync(path.join(WORKSPACE_ROOT, 'apps', app, 'project.json'), 'utf8')) as { targets: Record<string, unknown> };
      expect(Object.keys(project.targets)).toContain('serve');
    }
  });

  it.each(apps.map((app, i) => [app, i === apps.length - 1] as const))('%s: ready line, progress lines, admin status (inspect: %s)', async (app, inspect) => {
    const stackFile = path.join(dir, `${app}.json`);
    const serve = new ManagedProcess({
      name: `serve ${app}`,
      command: process.execPath,
      args: [path.join(WORKSPACE_ROOT, 'node_modules/nx/dist/bin/nx.js'), 'run', `${app}:serve`, '--outputStyle=stream', `--stack-file=${stackFile}`, `--data=${path.join(dir, app)}`, ...(inspect ? ['--inspect'] : [])],
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', FORCE_COLOR: '0' },
      cwd: WORKSPACE_ROOT,
      // nx's stream output prefixes each line with the project name.
      readyPattern: new RegExp(`^(${app}: )?${app} running under the local host at http`),
      readyTimeoutMs: 400_000,
    });
    try {
      await serve.start();
      const output = serve.tail(400);
      // Each step as it became ready, with its time.
      for (const step of ['Azurite', 'Cosmos server', 'Event Hubs emulator', 'provisioning', app]) {
        expect(output).toMatch(new RegExp(`^(${app}: )?  ready ${step}\\s+\\d+\\.\\d s`, 'm'));
      }
      const descriptor = JSON.parse(await readFile(stackFile, 'utf8')) as StackDescriptor;
      const host = descriptor.apps[app]!;
      const status = await fetch(`${host.baseUrl}/admin/host/status`, { headers: { 'x-functions-key': host.masterKey }, signal: AbortSignal.timeout(60_000) });
      expect(status.status).toBe(200);
      expect(await status.json()).toMatchObject({ state: 'Running' });
      if (inspect) {
        const port = new RegExp(`^(?:${app}: )?${app} inspector: 127\\.0\\.0\\.1:(\\d+)`, 'm').exec(output)?.[1];
        expect(port).toBeDefined();
        const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(60_000) })).json()) as { webSocketDebuggerUrl: string }[];
        expect(targets[0]?.webSocketDebuggerUrl).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${port}/`));
      }
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- serve output ---\n${serve.tail(60)}`);
    } finally {
      await serve.stop();
    }
  });
});
