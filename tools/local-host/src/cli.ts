import { Command } from 'commander';
import { toError } from './errors';
import { runHost } from './host/run-host';
import { JsonLogger } from './logging/logger';

const program = new Command()
  .name('local-host')
  .description('Runs an @azure/functions v4 app locally (HTTP, storage queue, timer and Event Hubs triggers)')
  .requiredOption('--app <path>', 'built app folder (dist/apps/<app>) or an entry file (.js/.ts)')
  .option('--settings <file>', 'local.settings.json-style file ({ "Values": { ... } })')
  .option('--port <port>', 'HTTP port on 127.0.0.1 (0 = a free port)', '0')
  // No key flags: a command line is readable by every user (/proc/<pid>/cmdline). Keys come from
  // env LOCAL_HOST_KEYS ({"masterKey","functionKey"}), else settings LOCAL_HOST_MASTER_KEY /
  // LOCAL_HOST_FUNCTION_KEY, else they are generated; the ready line on stdout reports them.
  .option('--plugin <module...>', 'modules registering extra trigger drivers / input bindings');

async function main(): Promise<void> {
  const opts = program.parse(process.argv).opts<{ app: string; settings?: string; port: string; plugin?: string[] }>();
  await runHost({
    app: opts.app,
    settingsFile: opts.settings,
    port: Number(opts.port),
    pluginModules: opts.plugin,
    handleSignals: true,
  });
}

main().catch((thrown: unknown) => {
  const error = toError(thrown) as Error & { code?: string };
  new JsonLogger().log({ level: 'critical', message: 'host failed to start', fields: { errorCode: error.code ?? 'UNKNOWN', error: error.message } });
  process.exit(1);
});
