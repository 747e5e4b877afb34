import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SingleBar, Presets } from 'cli-progress';
import { Command, InvalidArgumentError } from 'commander';
import { ingestionWindowAppSettings, parseIngestionWindow } from '@telemetry/contracts';
import { intOption, ratioOption } from '@telemetry/local-services';
import { discoverFunctionApps, WORKSPACE_ROOT } from '../build-apps';
import { runScenario } from '../run-scenario';
import { startLocalStack, type LocalStack } from '../start-stack';
import { progressReporter } from '../progress-reporter';
import { formatSummary } from '../summary-table';

const program = new Command()
  .name(process.argv.includes('--dev') ? 'npm run dev --' : 'npm start --')
  .description('Start the local stack, run every app under the local host, send the default scenario, drain, reconcile.')
  .option('--dev', 'start the stack and the apps only (npm run dev); write .local/stack.json and wait')
  .option('--once', 'exit when the scenario has been reconciled (exit code 0 only if reconciled)')
  .option('--summary-json <file>', 'write the summary as JSON')
  .option('--apps <list>', 'comma-separated apps to run (default: every function app)')
  .option('--devices <n>', 'drones (1..1,000,000)', intOption('--devices', 1, 1_000_000), 500)
  .option('--count <n>', 'distinct events to send (1..100,000,000)', intOption('--count', 1, 100_000_000), 20_000)
  .option('--rate <n>', 'events/s (0 = as fast as possible)', intOption('--rate', 0, 1_000_000), 0)
  .option('--corrupt <ratio>', 'ratio of corrupt events (0..1)', ratioOption('--corrupt'), 0.01)
  .option('--duplicates <ratio>', 'ratio of duplicated events (0..1)', ratioOption('--duplicates'), 0.05)
  .option('--key-frame-every <n>', 'every Nth event of a drone is a key frame', intOption('--key-frame-every', 1, 1_000_000), 10)
  .option('--seed <n>', 'scenario seed (an integer)', intOption('--seed', 0, 2 ** 31 - 1), 1)
  .option('--partitions <n>', 'Event Hubs partitions (1..32, as the Standard tier)', intOption('--partitions', 1, 32), 4)
  .option('--stack-file <file>', 'where the stack descriptor goes', path.join(WORKSPACE_ROOT, '.local', 'stack.json'))
  .option('--window <seconds>', 'ingestion window (s): each device\'s events are written once, this long after the first of them (0 = none; README "Ingestion window")', windowOption, 0)
  .option('--data <dir>', 'data folder', path.join(WORKSPACE_ROOT, '.local', 'data'))
  .option('--inspect [apps]', 'run apps under the Node inspector (all, or a comma-separated list); each gets its own port on 127.0.0.1, printed')
  .option('--verbose', 'echo service and host logs');

function windowOption(value: string): number {
  try {
    return parseIngestionWindow(value);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** `--inspect` alone: every app; `--inspect a,b`: those. */
function inspectList(value: true | string): string[] | 'all' {
  return value === true || value === 'all' ? 'all' : value.split(',').map((s) => s.trim()).filter(Boolean);
}

async function main(): Promise<void> {
  const o = program.parse().opts();
  const dataDir = path.resolve(o.data, new Date().toISOString().replace(/[:.]/g, '-'));
  const descriptorFile = path.resolve(o.stackFile);
  const apps: string[] | undefined = o.apps ? String(o.apps).split(',').map((s: string) => s.trim()).filter(Boolean) : undefined;
  if (apps) {
    const known = discoverFunctionApps();
    const unknown = apps.filter((a) => !known.includes(a));
    if (unknown.length > 0 || apps.length === 0) program.error(`error: --apps: unknown app(s) ${unknown.join(', ') || '(none given)'}; the function apps are ${known.join(', ')}`);
  }
  const t0 = Date.now();
  console.log('starting the local stack (Azurite, Cosmos server, Event Hubs emulator, MailDev, apps)...');
  // Filled once the stack is up; signal handlers need it before that.
  const stop = async (code: number): Promise<void> => {
    // A signal during start-up is honoured as soon as the stack handle exists.
    const stack = current.stack;
    if (!stack) {
      pendingExit = code;
      return;
    }
    // Ctrl-C reaches every process of the terminal's group: this one, and npm and tsx, which relay
    // it again. A repeated signal must not exit while the first stop runs: the services (their own
    // process groups) would be left running with no one to stop them.
    if (stopping) return stopping.then(() => process.exit(code));
    console.log('stopping everything...');
    stopping = stack.stop();
    await stopping;
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  // A closed terminal: its processes get SIGHUP (default: exit at once), the services, in their own
  // process groups, would not, and would be left running.
  process.on('SIGHUP', () => void stop(129));

  const started = await startLocalStack({
    dataDir, descriptorFile, partitions: o.partitions, echo: Boolean(o.verbose),
    ...(apps ? { apps } : {}),
    // The window is one setting of the ingestion app (INGESTION_WINDOW_SECONDS), as in Azure.
    ...(o.window > 0 ? { settingsOverrides: { ingestion: ingestionWindowAppSettings(o.window) } } : {}),
    onProgress: progressReporter((line) => console.log(line), t0),
    ...(o.inspect ? { inspect: inspectList(o.inspect) } : {}),
  });
  current.stack = started;
  if (pendingExit !== undefined) return stop(pendingExit);
  const live = started;
  console.log(`stack ready in ${((Date.now() - t0) / 1000).toFixed(1)} s; descriptor: ${path.relative(process.cwd(), descriptorFile)}`);
  for (const [app, h] of live.hosts) console.log(`  ${app.padEnd(24)} ${h.baseUrl}  (${h.functions.map((f) => f.name).join(', ')})`);
  for (const [app, port] of live.inspectPorts) console.log(`  ${`inspect ${app}`.padEnd(24)} 127.0.0.1:${port}  (VS Code: "Attach to an app"; chrome://inspect)`);
  if (live.dashboardUrl) console.log(`  ${'dashboard'.padEnd(24)} ${live.dashboardUrl}`);
  if (live.mailUrl) console.log(`  ${'operator mail (MailDev)'.padEnd(24)} ${live.mailUrl}  (the breaker's e-mails with the resume link; sign in as ${live.descriptor.mail?.webUser ?? 'operator'}, password: mail.webPassword in ${path.relative(process.cwd(), descriptorFile)})`);
  console.log(`  ${'cosmos (via fault proxy)'.padEnd(24)} ${live.descriptor.cosmos.endpoint}`);
  console.log(`  ${'event hubs'.padEnd(24)} ${live.descriptor.eventHubs.hubName} (${live.descriptor.eventHubs.partitions} partitions)`);

  if (!o.dev) {
    const bar = new SingleBar({ format: '  sending [{bar}] {percentage}% | {value}/{total} events', hideCursor: true }, Presets.shades_classic);
    bar.start(o.count, 0);
    const summary = await runScenario(live, {
      devices: o.devices, count: o.count, rate: o.rate, corruptRatio: o.corrupt, duplicateRatio: o.duplicates,
      keyFrameEvery: o.keyFrameEvery, seed: o.seed, drainTimeoutMs: 300_000,
      recordFile: path.join(dataDir, 'sent.ndjson'),
      onProgress: (sent) => bar.update(sent),
    }).finally(() => bar.stop());
    console.log('\nsummary\n' + formatSummary(summary));
    if (o.summaryJson) await writeFile(path.resolve(o.summaryJson), JSON.stringify(summary, null, 2) + '\n');
    if (o.once) await stop(summary.reconciliation.ok ? 0 : 1);
  } else if (o.once) {
    await stop(0);
  }
  console.log('\nrunning; explore with `npm run simulate -- --help` and `npm run dlq -- stats`. Ctrl-C stops everything.');
}

/** The stack once it is up: signal handlers and the error path stop it. */
const current: { stack?: LocalStack } = {};
let stopping: Promise<void> | undefined;
let pendingExit: number | undefined;

main().catch(async (error: unknown) => {
  // A coded error (a live stack in the way, a stopped service) is the message alone; anything else with its stack.
  const coded = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string';
  console.error(coded ? `error: ${(error as Error).message}` : error instanceof Error ? error.stack ?? error.message : error);
  // Whatever failed after the stack came up, the services it started must not outlive this process.
  if (current.stack && !stopping) {
    console.error('stopping everything...');
    stopping = current.stack.stop();
  }
  await stopping?.catch(() => undefined);
  process.exit(1);
});
