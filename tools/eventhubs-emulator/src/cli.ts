import { parseCliOptions, SAS_KEY_ENV, SAS_RULES_ENV } from './cli-options';
import { start } from './emulator';
import { stderrLogger } from './log';

/**
 * `npm run emulator -- --port 0 --data DIR --hub telemetry:4`
 * The first stdout line is the connection string for the first hub, alone on its line;
 * one more line per further hub follows. Logs go to stderr. SIGTERM/SIGINT close cleanly.
 */
async function main(): Promise<void> {
  let options;
  try {
    options = parseCliOptions(process.argv.slice(2), process.env);
    // Read once; children and diagnostics need not see it.
    delete process.env[SAS_KEY_ENV];
    delete process.env[SAS_RULES_ENV];
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') process.exit(0);
    // Commander has already written its own errors (configureOutput); every usage error exits 2.
    if (!code?.startsWith('commander.')) process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  const emulator = await start(options);
  process.stdout.write(`${emulator.connectionString}\n`);
  for (const hub of emulator.config.hubs.slice(1)) process.stdout.write(`${emulator.connectionStringFor(hub.name)}\n`);
  stderrLogger('listening', { port: emulator.port, dataDir: emulator.dataDir, hubs: emulator.config.hubs.map((h) => `${h.name}:${h.partitions}`) });
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    stderrLogger('stopping', { signal });
    emulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        stderrLogger('close failed', { error: error instanceof Error ? error.message : String(error) });
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`eventhubs-emulator failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
