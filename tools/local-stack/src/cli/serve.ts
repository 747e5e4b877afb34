import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { Command } from 'commander';
import { builtAppDir, buildApps, WORKSPACE_ROOT } from '../build-apps';
import { stackAppSettings } from '../app-settings';
import { startLocalStack } from '../start-stack';
import { writeSecretFile } from '../write-secret-file';

const program = new Command()
  .name('nx run <app>:serve')
  .argument('<app>', 'the function app (folder name under apps/)')
  .option('--func', 'run it under Azure Functions Core Tools (`func start`) instead of the local host, if installed')
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

async function main(): Promise<void> {
  program.parse();
  const [app] = program.args as [string];
  const o = program.opts();
  if (o.func) {
    if (!hasFunc()) throw new Error('`func` (Azure Functions Core Tools) is not installed; run without --func to use the local host');
    // Services only, then Core Tools on the built folder with a generated local.settings.json.
    const stack = await startLocalStack({ dataDir: path.resolve(o.data), apps: [], descriptorFile: path.join(WORKSPACE_ROOT, '.local', 'stack.json') });
    await buildApps([app]);
    const values = stackAppSettings({ descriptor: stack.descriptor, baseUrls: {}, masterKey: '', functionKey: '', approvalSigningKey: 'local-only-signing-key' });
    // It holds connection strings with keys: owner-only, like .local/stack.json.
    writeSecretFile(path.join(builtAppDir(app), 'local.settings.json'), JSON.stringify({ IsEncrypted: false, Values: values }, null, 2));
    const child = spawn('func', ['start'], { cwd: builtAppDir(app), stdio: 'inherit' });
    const stop = (): void => {
      child.kill('SIGTERM');
      void stack.stop().then(() => process.exit(0));
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    return;
  }
  // Signals during start-up are honoured once the stack is up (its handle is needed to stop it).
  let stopRequested = false;
  let stop = (): void => void (stopRequested = true);
  process.on('SIGINT', () => stop());
  process.on('SIGTERM', () => stop());
  const stack = await startLocalStack({ dataDir: path.resolve(o.data), apps: [app], echo: true, descriptorFile: path.join(WORKSPACE_ROOT, '.local', 'stack.json') });
  stop = (): void => void stack.stop().then(() => process.exit(0));
  if (stopRequested) return stop();
  const host = stack.hosts.get(app)!;
  console.log(`${app} running under the local host at ${host.baseUrl} (function key in .local/stack.json). Ctrl-C stops it.`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
