import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { builtAppDir, buildApps, WORKSPACE_ROOT } from '../build-apps';
import { stackAppSettings } from '../app-settings';
import { progressReporter } from '../progress-reporter';
import { startLocalStack } from '../start-stack';
import { writeSecretFile } from '../write-secret-file';

const program = new Command()
  .name('nx run <app>:serve')
  .argument('<app>', 'the function app (folder name under apps/)')
  .option('--func', 'run it under Azure Functions Core Tools (`func start`) instead of the local host, if installed')
  .option('--inspect', 'run the app under the Node inspector on a free port on 127.0.0.1 (printed)')
  .option('--stack-file <file>', 'where the stack descriptor goes', path.join(WORKSPACE_ROOT, '.local', 'stack.json'))
  .option('--data <dir>', 'data folder', path.join(WORKSPACE_ROOT, '.local', 'serve'))
  .description('Run one app alone on the local stack (Azurite, Cosmos server, Event Hubs emulator).');

function hasFunc(): boolean {
  try {
    execFileSync('func', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Settings an app needs when it runs without the apps it talks to. The breaker's switch URL names
 * ingestion's admin API; alone, it points at a loopback address nothing serves, so a trip's pause
 * fails and is retried (as when ingestion is down) instead of the host refusing to start.
 */
function aloneSettings(app: string): Record<string, string> {
  if (app !== 'circuit-breaker') return {};
  console.log('  note: ingestion is not served; the breaker\'s switch calls will fail and be retried');
  return { INGESTION_SWITCH_URL: 'http://127.0.0.1:9/admin/functions' };
}

async function main(): Promise<void> {
  program.parse();
  const [app] = program.args as [string];
  const o = program.opts();
  if (o.func) {
    if (!hasFunc()) throw new Error('`func` (Azure Functions Core Tools) is not installed; run without --func to use the local host');
    // Services only, then Core Tools on the built folder with a generated local.settings.json.
    const stack = await startLocalStack({ dataDir: path.resolve(o.data), apps: [], descriptorFile: path.resolve(o.stackFile) });
    await buildApps([app]);
    const values = stackAppSettings({ descriptor: stack.descriptor, baseUrls: {}, masterKey: '', breakerStatusKey: '', approvalSigningKey: 'local-only-signing-key' });
    // It holds connection strings with keys: owner-only, like .local/stack.json.
    writeSecretFile(path.join(builtAppDir(app), 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }, null, 2));
    const child = spawn('func', ['start'], { cwd: builtAppDir(app), stdio: 'inherit' });
    const stop = (): void => {
      child.kill('SIGTERM');
      void stack.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    process.on('SIGHUP', stop);
    return;
  }
  // Signals during start-up are honoured once the stack is up (its handle is needed to stop it).
  let stopRequested = false;
  let stop = (): void => void (stopRequested = true);
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());
  process.on('SIGHUP', () => stop()); // a closed terminal
  console.log(`starting ${app} alone on the local stack (Azurite, Cosmos server, Event Hubs emulator)...`);
  const stack = await startLocalStack({
    dataDir: path.resolve(o.data), apps: [app], echo: true, descriptorFile: path.resolve(o.stackFile),
    onProgress: progressReporter((line) => console.log(line)),
    settingsOverrides: { [app]: aloneSettings(app) },
    ...(o.inspect ? { inspect: [app] } : {}),
  });
  stop = (): void => void stack.stop().then(() => process.exit(0));
  if (stopRequested) return stop();
  const host = stack.hosts.get(app)!;
  const inspector = stack.inspectPorts.get(app);
  if (inspector !== undefined) console.log(`${app} inspector: 127.0.0.1:${inspector}  (VS Code: "Attach to an app"; chrome://inspect)`);
  console.log(`${app} running under the local host at ${host.baseUrl} (function key in ${path.relative(process.cwd(), path.resolve(o.stackFile))}). Ctrl-C stops it.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
