import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Presets, SingleBar } from 'cli-progress';
import { Command } from 'commander';
import { redactSecrets } from '@telemetry/core';
import { assertStackRunning, errorJson, intOption, ratioOption } from '@telemetry/local-services';
import { simulate } from './simulate';

const program = new Command()
  .name('npm run simulate --')
  .description('Send drone telemetry to Event Hubs (partition key = deviceId) and record what was sent.')
  .option('--stack <file>', 'the local stack descriptor written by npm run dev', '.local/stack.json')
  .option('--connection-string <cs>', 'Event Hubs connection string (default: from the stack; env EVENTHUB_CONNECTION_STRING)')
  .option('--hub <name>', 'event hub name (default: from the stack)')
  .option('--devices <n>', 'drones (1..1,000,000)', intOption('--devices', 1, 1_000_000), 100)
  .option('--count <n>', 'distinct events to send (default 1,000)', intOption('--count', 1, 100_000_000))
  .option('--duration <seconds>', 'send for this long instead of a count (needs --rate above 0)', intOption('--duration', 1, 86_400 * 30))
  .option('--rate <n>', 'events/s, 0 = as fast as possible', intOption('--rate', 0, 1_000_000), 100)
  .option('--key-frame-every <n>', 'every Nth event of a drone is a key frame', intOption('--key-frame-every', 1, 1_000_000), 10)
  .option('--corrupt <ratio>', 'ratio of corrupt events (0..1)', ratioOption('--corrupt'), 0)
  .option('--duplicates <ratio>', 'ratio of duplicated events (0..1)', ratioOption('--duplicates'), 0)
  .option('--seed <n>', 'scenario seed (an integer; default: from the clock)', intOption('--seed', 0, 2 ** 31 - 1), Date.now() % 1_000_000)
  .option('--iot-hub', 'send as IoT Hub forwards to its built-in endpoint (identity in system properties); ingestion needs DEVICE_IDENTITY_SOURCE=iothub')
  .option('--spoof <ratio>', 'IoT Hub mode: ratio of spoofing events (body names another drone)', ratioOption('--spoof'), 0)
  .option('--module-messages <ratio>', 'IoT Hub mode: ratio of messages sent by a module of the drone', ratioOption('--module-messages'), 0)
  .option('--non-telemetry <ratio>', 'IoT Hub mode: ratio of twin change / lifecycle events', ratioOption('--non-telemetry'), 0)
  .option('--connect-timeout <seconds>', 'how long the hub may take to answer before anything is sent', intOption('--connect-timeout', 1, 600), 30)
  .option('--record <file>', 'write every sent event (NDJSON) for reconciliation')
  .option('--summary-json <file>', 'write the summary as JSON')
  .option('--json', 'print the summary as JSON only')
  .option('--no-progress', 'no progress bar');

async function main(): Promise<void> {
  const o = program.parse().opts();
  if (o.count !== undefined && o.duration !== undefined) program.error('error: give --count or --duration, not both');
  if (o.duration !== undefined && o.rate === 0) program.error('error: --duration needs --rate above 0 (at "as fast as possible" a duration sends an unbounded number of events)');
  let connectionString: string | undefined = o.connectionString ?? process.env['EVENTHUB_CONNECTION_STRING'];
  let hub: string | undefined = o.hub;
  if (!connectionString) {
    const stack = JSON.parse(await readFile(path.resolve(o.stack), 'utf8').catch(() => {
      throw new Error(`no connection string given and no stack descriptor at ${o.stack}: run \`npm run dev\` first`);
    })) as { eventHubs: { connectionString: string; hubName: string } };
    connectionString = stack.eventHubs.connectionString;
    hub ??= stack.eventHubs.hubName;
    // A stopped stack's descriptor: say so now, not after a minute of the SDK's retries.
    await assertStackRunning(o.stack, [connectionString]);
  }
  if (o.count === undefined && o.duration === undefined) o.count = 1000;
  const bar = o.progress && !o.json ? new SingleBar({ format: 'sending [{bar}] {value}/{total} events', hideCursor: true }, Presets.shades_classic) : undefined;
  bar?.start(o.count ?? o.duration * o.rate, 0);
  const controller = new AbortController();
  process.on('SIGINT', () => controller.abort());
  const { summary } = await simulate({
    connectionString, hubName: hub ?? '', devices: o.devices, count: o.count, durationSeconds: o.duration, rate: o.rate,
    keyFrameEvery: o.keyFrameEvery, corruptRatio: o.corrupt, duplicateRatio: o.duplicates, seed: o.seed,
    ...(o.iotHub ? { iotHub: { spoofRatio: o.spoof, moduleRatio: o.moduleMessages, nonTelemetryRatio: o.nonTelemetry } } : {}),
    connectTimeoutMs: o.connectTimeout * 1000,
    recordFile: o.record ? path.resolve(o.record) : undefined, onProgress: (n) => bar?.update(n), signal: controller.signal,
  }).finally(() => bar?.stop());
  if (o.summaryJson) await writeFile(path.resolve(o.summaryJson), JSON.stringify(summary, null, 2) + '\n');
  if (o.json) console.log(JSON.stringify(summary));
  else console.table(summary);
}

main().catch((error: unknown) => {
  // With --json an error is JSON too (one line on stdout; errorJson redacts). Never the key: SDK
  // errors quote the connection string they were given.
  if (program.opts().json) console.log(errorJson(error));
  else console.error(redactSecrets(error instanceof Error ? error.message : String(error)));
  process.exit(1);
});
