import { Command } from 'commander';
import { toError } from './errors';
import { runHost } from './host/run-host';
import { JsonLogger } from './logging/logger';

// stdout carries the ready line alone, and first. Whatever the app writes there (console.log at
// load, in appStart or in a function) becomes a JSON log line on stderr, as a worker's console
// output is a host log in Azure (category Host.Function.Console).
const stdout = process.stdout.write.bind(process.stdout);
const consoleLog = new JsonLogger();
let pendingOutput = '';
const logConsoleLine = (line: string): void => {
  if (line.trim()) consoleLog.log({ level: 'information', category: 'user', source: 'Host.Function.Console', message: line });
};
process.stdout.write = ((chunk: string | Uint8Array, encodingOrCallback?: unknown, callback?: unknown): boolean => {
  pendingOutput += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  for (let newline = pendingOutput.indexOf('\n'); newline >= 0; newline = pendingOutput.indexOf('\n')) {
    const line = pendingOutput.slice(0, newline);
    pendingOutput = pendingOutput.slice(newline + 1);
    logConsoleLine(line);
  }
  const done = typeof encodingOrCallback === 'function' ? encodingOrCallback : callback;
  if (typeof done === 'function') process.nextTick(done as () => void);
  return true;
}) as typeof process.stdout.write;
// A last line written without a newline is still logged.
process.on('exit', () => {
  logConsoleLine(pendingOutput);
});

const program = new Command()
  .name('local-host')
  .description('Runs an @azure/functions v4 app locally (HTTP, storage queue, timer and Event Hubs triggers)')
  .requiredOption('--app <path>', 'built app folder (dist/apps/<app>) or an entry file (.js/.ts)')
  .option('--settings <file>', 'local.settings.json-style file ({ "Values": { ... } })')
  .option('--port <port>', 'HTTP port on 127.0.0.1 (0 = a free port)', '0')
  // No key flags: a command line is readable by every user (/proc/<pid>/cmdline). Keys come from
  // env LOCAL_HOST_KEYS ({"masterKey","functionKey"}), else settings LOCAL_HOST_MASTER_KEY /
  // LOCAL_HOST_FUNCTION_KEY, else they are generated; the ready line on stdout reports them.
  .option('--plugin <module...>', 'modules registering extra trigger drivers / input bindings')
  .configureOutput({ writeOut: (text) => void stdout(text) });

async function main(): Promise<void> {
  const opts = program.parse(process.argv).opts<{ app: string; settings?: string; port: string; plugin?: string[] }>();
  await runHost({
    writeReadyLine: (line) => void stdout(line),
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
