import { Command, Option } from 'commander';
import { issueCodes } from '@telemetry/core';
import { LETTER_STATES, listCommand, type LetterState } from './commands/list';
import { purgeCommand } from './commands/purge';
import { redriveCommand } from './commands/redrive';
import { showCommand } from './commands/show';
import { statsCommand } from './commands/stats';
import type { CliIo } from './io';
import { resolveTarget, type DlqTarget, type TargetOptions } from './target';

interface GlobalOptions extends TargetOptions {
  json: boolean;
  dryRun: boolean;
}

const filterOptions = (cmd: Command): Command =>
  cmd
    // A typo (EVENT_INVALD) must not silently match nothing: only the product's codes.
    .addOption(new Option('--code <code>', 'issue code (e.g. EVENT_INVALID)').choices(issueCodes))
    .option('--device <deviceId>', 'device id')
    .option('--since <time>', 'failed at or after: ISO 8601 or an age (30m, 2h, 7d)')
    .option('--until <time>', 'failed before: ISO 8601 or an age')
    .option('--limit <n>', 'at most n letters');

const stateOption = (fallback: LetterState) =>
  new Option('--from <state>', 'parked (the parking table), pending (the dead-letter queue), poison (its -poison queue) or poison-poison (-poison-poison)').choices(LETTER_STATES).default(fallback);

/**
 * The operator CLI (`npm run dlq -- <command>`). Every command acts on the local stack
 * (.local/stack.json) unless given Azure settings; `--json` prints machine-readable results and
 * `--dry-run` shows what a change would do without doing it.
 */
export function createProgram(io: CliIo, env: NodeJS.ProcessEnv = process.env): Command {
  const program = new Command('dlq')
    .description('Inspect, redrive and purge telemetry dead letters')
    .option('--json', 'machine-readable output', false)
    .option('--dry-run', 'show what would change; change nothing', false)
    .option('--stack <file>', 'local stack descriptor', '.local/stack.json')
    .option('--storage-connection-string <cs>', 'storage account (env DLQ_STORAGE_CONNECTION_STRING)')
    .option('--storage-account <name>', 'storage account name, signed-in identity (env DLQ_STORAGE_ACCOUNT)')
    .option('--queue <name>', 'dead-letter queue (env DLQ_QUEUE; default telemetry-deadletter)')
    .option('--claim-check-container <name>', 'claim-check container (default telemetry-deadletter-bodies)')
    .option('--parking-table <name>', 'parking table (default deadletterparking)')
    .option('--event-hubs-connection-string <cs>', 'for redrive --to eventhubs (env DLQ_EVENTHUBS_CONNECTION_STRING)')
    .option('--event-hubs-namespace <fqdn>', 'for redrive --to eventhubs with the signed-in identity')
    .option('--hub <name>', 'event hub for redrive --to eventhubs')
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) })
    .showHelpAfterError();

  const run = async (cmd: Command, fn: (target: DlqTarget, g: GlobalOptions) => Promise<unknown>): Promise<void> => {
    const g = cmd.optsWithGlobals<GlobalOptions>();
    const target = resolveTarget(g, env);
    try {
      await fn(target, g);
    } finally {
      await target.close();
    }
  };

  program
    .command('stats')
    .description('counts by code (pending, poison, poison-poison, parked) and the age of the oldest')
    .action((_o, cmd: Command) => run(cmd, (t, g) => statsCommand(t, io, g)));

  filterOptions(program.command('list').description('list parked letters, or peek at pending / poison ones'))
    .addOption(new Option('--state <state>', 'parked, pending, poison or poison-poison').choices(LETTER_STATES).default('parked'))
    .action((o: { state: LetterState }, cmd: Command) => run(cmd, (t, g) => listCommand(t, io, { ...cmd.opts(), state: o.state, json: g.json })));

  program
    .command('show <id>')
    .description('one letter in full (original body, properties, reason)')
    .action((id: string, _o, cmd: Command) => run(cmd, (t, g) => showCommand(t, io, id, g)));

  filterOptions(program.command('redrive [ids...]').description('send letters back through the reprocessor, or their events back onto Event Hubs (asks first when unfiltered)'))
    .addOption(stateOption('parked'))
    .addOption(new Option('--to <target>', 'reprocessor (the dead-letter queue) or eventhubs (original event + x-redrive)').choices(['reprocessor', 'eventhubs']).default('reprocessor'))
    .option('--body-file <file>', 'a corrected body for one parked letter (give its id)')
    .option('--reason <text>', 'why: recorded in the letter and the x-redrive marker')
    .option('--by <name>', 'who: recorded in the letter (default dlq-cli:<user>)')
    .option('-y, --yes', 'do not ask before redriving every letter (no ids, no filter)', false)
    .action((ids: string[], o: { from: LetterState; to: 'reprocessor' | 'eventhubs'; yes: boolean }, cmd: Command) =>
      run(cmd, (t, g) => redriveCommand(t, io, ids, { ...cmd.opts(), from: o.from, to: o.to, yes: o.yes, dryRun: g.dryRun, json: g.json })),
    );

  filterOptions(program.command('purge [ids...]').description('delete parked letters for good (asks first)'))
    .option('-y, --yes', 'do not ask', false)
    .action((ids: string[], o: { yes: boolean }, cmd: Command) => run(cmd, (t, g) => purgeCommand(t, io, ids, { ...cmd.opts(), yes: o.yes, dryRun: g.dryRun, json: g.json })));

  return program;
}
