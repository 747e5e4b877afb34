import os from 'node:os';
import { Command, Option } from 'commander';
import { CheckpointRewinder, EventHubLagSource, parseRewindTarget, type RewindPlan } from '@telemetry/azure-event-hubs';
import type { EventHubLag } from '@telemetry/contracts';
import { BreakerGate } from './breaker-gate';
import { formatPlan, formatStatus } from './format';
import { assertTargetReachable, resolveTarget, type CheckpointTarget, type TargetOptions } from './target';
import { waitUntil } from './wait';

export interface CheckpointsIo {
  out(text: string): void;
  err(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** A refusal or bad input: exit code 2 (1 is for failures). */
export class CliRefusal extends Error {}

interface RewindOptions { to: string; partition?: string[]; apply?: boolean; trip?: boolean; by?: string; reason?: string; pauseTimeout: string }

/**
 * `npm run checkpoints -- <status|rewind>`: checkpoint time travel for the ingestion consumer
 * group (issue 19). Rewinds are dry runs unless `--apply`; `--apply` needs ingestion paused by the
 * breaker (`--trip` trips it first). Every applied rewind leaves an audit record in the
 * checkpoint container under `rewind-audit/`.
 */
export function createProgram(io: CheckpointsIo): Command {
  const program = new Command('checkpoints')
    .description('Event Hubs checkpoints of the ingestion consumer group: status and rewind')
    .option('--stack <file>', 'the local stack descriptor', '.local/stack.json')
    .option('--namespace <name>', 'Azure: Event Hubs namespace (name or FQDN), with the signed-in identity')
    .option('--storage-account <name>', 'Azure: the storage account holding the checkpoints (AzureWebJobsStorage)')
    .option('--hub <name>', 'event hub (default: the stack\'s)')
    .option('--consumer-group <name>', 'the ingestion consumer group (default: the stack\'s, or "ingestion")')
    .option('--reader-group <name>', 'consumer group used to read events (never the ingestion one)', '$Default')
    .option('--breaker-url <url>', 'the breaker app\'s base URL (default: the stack\'s circuit-breaker); key in BREAKER_FUNCTION_KEY')
    .option('--retention-hours <hours>', 'the hub\'s retention (default EVENT_HUB_RETENTION_HOURS or 24)')
    .option('--json', 'machine-readable output')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.out(s), writeErr: (s) => io.err(s) });

  const withTarget = async <T>(fn: (t: CheckpointTarget) => Promise<T>): Promise<T> => {
    await assertTargetReachable(program.opts<TargetOptions>());
    const t = resolveTarget(program.opts<TargetOptions>(), io.env);
    try { return await fn(t); } finally { await t.close(); }
  };
  const json = () => program.opts<{ json?: boolean }>().json === true;

  program.command('status')
    .description('per partition: checkpoint, last enqueued event, lag in events and seconds, time to data loss, staleness')
    .action(() => withTarget(async (t) => {
      const lag: EventHubLag = await new EventHubLagSource(t.client, t.checkpoints, t.consumerGroup, {
        reader: t.reader, retentionSeconds: t.retentionHours * 3600, retentionSource: t.retentionSource,
      }).read();
      io.out(json() ? `${JSON.stringify(lag, null, 2)}\n` : formatStatus(t.description, lag));
    }));

  program.command('rewind')
    .description('move the checkpoints back (or forward); a dry run unless --apply')
    .requiredOption('--to <target>', 'ISO time, duration ago (30m, 1h), sequence number (first event to read again), earliest or latest')
    .addOption(new Option('--partition <ids...>', 'only these partitions (default: all)'))
    .option('--apply', 'write the checkpoints (ingestion must be paused by the breaker)')
    .option('--trip', 'with --apply: trip the breaker first and wait until it has paused ingestion')
    .option('--by <name>', 'who, for the audit record (default: user@host)')
    .option('--reason <text>', 'why, for the audit record')
    .option('--pause-timeout <seconds>', 'with --trip: how long to wait for the pause', '120')
    .action((o: RewindOptions) => withTarget(async (t) => {
      const target = parseRewindTarget(o.to);
      const rewinder = new CheckpointRewinder({ client: t.client, reader: t.reader, consumerGroup: t.consumerGroup, checkpoints: t.checkpoints, container: t.container });
      if (o.apply) await ensurePaused(t, o);
      const plan: RewindPlan = await rewinder.plan(target, o.to, o.partition);
      if (!o.apply) {
        io.out(json() ? `${JSON.stringify({ dryRun: true, ...plan }, null, 2)}\n` : `${formatPlan(plan)}dry run: nothing changed; add --apply to write these checkpoints\n`);
        return;
      }
      // The consumer must have let go (its last checkpoint written, ownership abandoned), or it could overwrite ours.
      await waitUntil(async () => (await rewinder.ownedPartitions()).length === 0, { timeoutMs: Number(o.pauseTimeout) * 1000, intervalMs: 500, description: 'ingestion to release its partitions' })
        .catch(async () => { throw new CliRefusal(`refused: partitions ${(await rewinder.ownedPartitions()).join(', ')} are still owned by a consumer`); });
      // Checked again just before writing: an operator may have approved a resume meanwhile.
      await ensurePaused(t, { ...o, trip: false });
      const { audit, blobName } = await rewinder.apply(plan, o.by ?? `${os.userInfo().username}@${os.hostname()}`, o.reason);
      const page = await new BreakerGate(t.breaker!).approvalPage().catch(() => undefined);
      io.out(json() ? `${JSON.stringify({ dryRun: false, auditBlob: blobName, ...audit, ...(page ? { approvalPage: page } : {}) }, null, 2)}\n`
        : `${formatPlan(plan)}applied; audit record ${blobName}\ningestion stays paused until an operator approves the resume: ` +
          `the signed link went to the operators' e-mail or webhook (local stack: MailDev, mail.webUrl in .local/stack.json)` +
          `${page ? `; signed-in operators approve at ${page}` : ''}\n`);
    }));
  return program;
}

async function ensurePaused(t: CheckpointTarget, o: RewindOptions): Promise<void> {
  if (!t.breaker) throw new CliRefusal('--apply needs the breaker (--breaker-url, or a stack with circuit-breaker): it alone says whether ingestion is paused');
  const gate = new BreakerGate(t.breaker);
  const reading = await gate.ingestionPaused();
  if (reading.paused) return;
  if (!o.trip) {
    throw new CliRefusal(`refused: ingestion is running (breaker ${reading.state}${reading.switch ? `, switch ${reading.switch}` : ''}); `
      + 'pause it first (add --trip to trip the breaker) so no consumer overwrites the new checkpoints');
  }
  await gate.tripAndWait(`checkpoint rewind to ${o.to}${o.reason ? `: ${o.reason}` : ''}`, Number(o.pauseTimeout) * 1000);
}
