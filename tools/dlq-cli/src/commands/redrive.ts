import { readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { peekPending, queueDepth, redriveQueue } from '@telemetry/azure-storage-queue';
import { redriveParked, reprocessorTarget, type ParkedLetter, type ParkedSummary, type RedriveTarget } from '@telemetry/reprocessing';
import { eventHubsTarget } from '../event-hubs-target';
import type { CliIo } from '../io';
import { startProgress } from '../progress';
import type { DlqTarget } from '../target';
import { jsonText, shown } from '../terminal-text';
import { toQuery, type FilterOptions } from './filters';
import { queueOf, type LetterState } from './list';

export interface RedriveCommandOptions extends FilterOptions {
  from: LetterState;
  to: 'reprocessor' | 'eventhubs';
  /** A corrected body for exactly one parked letter. */
  bodyFile?: string;
  /** Or the corrected body itself (library callers). */
  body?: Buffer;
  reason?: string;
  by?: string;
  dryRun: boolean;
  json: boolean;
  /** Do not ask before redriving every letter (no ids, no filter): purge's `-y, --yes`. */
  yes?: boolean;
}

export interface RedriveResult {
  dryRun: boolean;
  from: LetterState;
  to: 'reprocessor' | 'eventhubs';
  /** Letter ids redriven (or that would be). */
  redriven: string[];
  failed: { id: string; error: string }[];
  skipped: number;
  /** True when the operator declined (or could not be asked) to redrive every letter. */
  cancelled: boolean;
}

/** No ids and no filter: the command would send every letter of its source. */
const selectsEverything = (ids: string[], o: FilterOptions): boolean => ids.length === 0 && !o.code && !o.device && !o.since && !o.until;

/**
 * `redrive`: parked letters (by id or filter) or queued ones back through the reprocessor, or
 * their original events back onto Event Hubs with the x-redrive marker. A parked letter leaves
 * parking once sent; if it fails again the reprocessor parks it again, with the new reason.
 */
export async function redriveCommand(target: DlqTarget, io: CliIo, ids: string[], options: RedriveCommandOptions): Promise<RedriveResult> {
  const body = options.body ?? (options.bodyFile ? await readFile(options.bodyFile) : undefined);
  if (body && (options.from !== 'parked' || ids.length !== 1)) throw new Error('a corrected body (--body-file) redrives exactly one parked letter: give its id');
  const sink: RedriveTarget = options.to === 'eventhubs' ? eventHubsTarget(() => target.eventHubs()) : reprocessorTarget(target.dlq);
  const redrive = { by: options.by ?? `dlq-cli:${safeUser()}`, reason: options.reason, body };
  const query = toQuery(options);
  const result: RedriveResult = { dryRun: options.dryRun, from: options.from, to: options.to, redriven: [], failed: [], skipped: 0, cancelled: false };
  // Like purge: sending every letter at once (possibly onto Event Hubs) is asked for, never assumed.
  const askFirst = selectsEverything(ids, options) && !options.dryRun && !options.yes;
  const confirmed = async (count: number | string): Promise<boolean> =>
    io.confirm(`Redrive every ${options.from} letter (${count}) to ${options.to}? Add a filter or ids to redrive fewer`);

  if (options.from === 'parked') {
    const selected: (ParkedSummary | ParkedLetter)[] = [];
    if (ids.length > 0) {
      for (const id of ids) {
        const entry = await target.parking.get(id);
        if (entry) selected.push(entry);
        else result.failed.push({ id, error: 'not parked' });
      }
    } else {
      for await (const s of target.parking.list(query)) selected.push(s);
    }
    if (options.dryRun) result.redriven = selected.map((s) => s.id);
    else if (selected.length > 0 && askFirst && !(await confirmed(selected.length))) result.cancelled = true;
    else {
      const progress = startProgress(io, `redrive -> ${options.to}`, selected.length, options.json);
      for (const s of selected) {
        try {
          const entry = 'letter' in s ? s : await target.parking.get(s.id);
          if (!entry) throw new Error('no longer parked');
          await redriveParked(entry, sink, target.parking, redrive);
          result.redriven.push(s.id);
        } catch (error) {
          result.failed.push({ id: s.id, error: error instanceof Error ? error.message : String(error) });
        }
        progress.increment();
      }
      progress.stop();
    }
  } else {
    const queue = queueOf(target, options.from);
    const wanted = (id: string | null) => ids.length === 0 || (id !== null && ids.includes(id));
    if (options.dryRun) {
      // Peek only (at most 32): a dry run must not hold messages away from the reprocessor.
      result.redriven = (await peekPending(queue, query)).filter((p) => wanted(p.id)).map((p) => p.id ?? p.messageId);
    } else if (askFirst && !(await confirmed(`about ${(await queueDepth(queue)).approximateCount}`))) {
      result.cancelled = true;
    } else {
      const progress = startProgress(io, `redrive -> ${options.to}`, query.limit ?? ids.length, options.json);
      const moved = await redriveQueue(queue, {
        query,
        target: sink,
        select: (l) => wanted(l.id),
        resolve: (l) => target.dlq.resolve(l),
        redrive,
        onProgress: () => progress.increment(),
      });
      progress.stop();
      Object.assign(result, moved);
    }
  }
  report(io, result, options.json);
  // Not done is not success: a script that ran without a terminal (no --yes) must notice.
  if (result.failed.length > 0 || result.cancelled) io.fail();
  return result;
}

function report(io: CliIo, r: RedriveResult, json: boolean): void {
  if (json) return io.out(jsonText(r));
  // Ids of queued letters and error messages carry letter text (untrusted): through `shown`.
  for (const id of r.redriven) io.out(`${r.dryRun ? 'would redrive' : 'redriven'} ${shown(id)} (${r.from} -> ${r.to})`);
  for (const f of r.failed) io.err(`failed ${shown(f.id)}: ${shown(f.error)}`);
  if (r.cancelled) return io.err('cancelled: nothing redriven (not confirmed; --yes confirms without a terminal)');
  io.err(`${r.dryRun ? 'dry run: ' : ''}${r.redriven.length} ${r.dryRun ? 'to redrive' : 'redriven'}, ${r.failed.length} failed${r.skipped ? `, ${r.skipped} left in place` : ''}`);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
