import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import type { StackDescriptor } from '@telemetry/contracts';
import { assertStackRunning, errorJson, intOption } from '@telemetry/local-services';
import { auditRun } from './audit';
import { formatAudit } from './format-audit';
import { readRecordFile } from './record-file';

const program = new Command()
  .name('npm run audit --')
  .description('Accounts for every event of a run from what the stores hold: applied, superseded, dead-lettered, parked, or lost (listed).')
  .requiredOption('--record <file>', 'the simulator record of what was sent (NDJSON of SentEvent; npm start writes <data dir>/sent.ndjson)')
  .option('--stack <file>', 'the running stack descriptor', '.local/stack.json')
  .option('--dead-letter-storage <connection>', 'storage account of the dead letters when it is not the stack\'s (connection string)')
  .option('--json', 'print the report as JSON')
  .option('--max-lost <n>', 'lost events listed in the text output', intOption('--max-lost', 0, 1_000_000), 50);

async function main(): Promise<void> {
  const o = program.parse().opts<{ record: string; stack: string; deadLetterStorage?: string; json?: boolean; maxLost: number }>();
  const descriptor = JSON.parse(await readFile(path.resolve(o.stack), 'utf8').catch(() => {
    throw Object.assign(new Error(`no stack descriptor at ${o.stack}: start the local stack with \`npm run dev\``), { code: 'STACK_NOT_FOUND' });
  })) as StackDescriptor;
  assertRecordOfThisStack(path.resolve(o.record), descriptor);
  await assertStackRunning(o.stack, [descriptor.storage.connectionString, descriptor.cosmos.endpoint]);
  const sent = await readRecordFile(path.resolve(o.record));
  const report = await auditRun(descriptor, sent, o.deadLetterStorage ? { deadLetterStorage: o.deadLetterStorage } : {});
  console.log(o.json ? JSON.stringify(report, null, 2) : formatAudit(report, o.maxLost));
  process.exitCode = report.ok ? 0 : 1;
}

/**
 * A record in another run's data folder (`npm start` writes <data dir>/sent.ndjson) cannot be
 * audited against the running stack: that run's stores stopped with it, so every event would read
 * as lost. Said at once instead. A record kept anywhere else is the caller's to match.
 */
function assertRecordOfThisStack(record: string, descriptor: StackDescriptor): void {
  const folder = path.dirname(record);
  const runFolder = ['azurite', 'eventhubs'].some((service) => existsSync(path.join(folder, service)));
  if (runFolder && descriptor.dataDir && path.resolve(descriptor.dataDir) !== folder) {
    throw Object.assign(
      new Error(`${record} was written by the run in ${folder}, not by the running stack (${descriptor.dataDir}): that run's stores stopped with it, so its events cannot be audited now; audit a run while its stack runs (npm run dev, then npm run simulate -- --record <file>)`),
      { code: 'RECORD_FROM_ANOTHER_RUN' },
    );
  }
}

main().catch((error: unknown) => {
  if (program.opts().json) console.log(errorJson(error));
  else console.error(error instanceof Error ? error.message : error);
  process.exit(2);
});
