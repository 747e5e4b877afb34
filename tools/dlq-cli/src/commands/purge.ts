import type { ParkedSummary } from '@telemetry/reprocessing';
import type { CliIo } from '../io';
import { startProgress } from '../progress';
import type { DlqTarget } from '../target';
import { jsonText, shown } from '../terminal-text';
import { toQuery, type FilterOptions } from './filters';

export interface PurgeOptions extends FilterOptions {
  yes: boolean;
  dryRun: boolean;
  json: boolean;
}

export interface PurgeResult {
  dryRun: boolean;
  purged: string[];
  failed: { id: string; error: string }[];
  /** True when the operator declined (or could not be asked). */
  cancelled: boolean;
}

/** `purge`: deletes parked letters (by id or filter) for good, after confirmation (or --yes). */
export async function purgeCommand(target: DlqTarget, io: CliIo, ids: string[], options: PurgeOptions): Promise<PurgeResult> {
  const query = toQuery(options);
  if (ids.length === 0 && !query.code && !query.deviceId && !query.from && !query.to && !options.yes) {
    throw new Error('purge without ids or filters deletes every parked letter: add a filter, or --yes to mean it');
  }
  const selected: ParkedSummary[] = [];
  for await (const s of target.parking.list(ids.length > 0 ? {} : query)) if (ids.length === 0 || ids.includes(s.id)) selected.push(s);
  const result: PurgeResult = { dryRun: options.dryRun, purged: [], failed: [], cancelled: false };
  if (options.dryRun) {
    result.purged = selected.map((s) => s.id);
  } else if (selected.length > 0 && !options.yes && !(await io.confirm(`Delete ${selected.length} parked letter(s) for good?`))) {
    result.cancelled = true;
  } else {
    const progress = startProgress(io, 'purge', selected.length, options.json);
    for (const s of selected) {
      try {
        const entry = await target.parking.get(s.id);
        await target.parking.remove({ id: s.id, code: s.code, claimCheckBlob: entry?.claimCheckBlob });
        result.purged.push(s.id);
      } catch (error) {
        result.failed.push({ id: s.id, error: error instanceof Error ? error.message : String(error) });
      }
      progress.increment();
    }
    progress.stop();
  }
  if (options.json) io.out(jsonText(result));
  else {
    for (const id of result.purged) io.out(`${options.dryRun ? 'would purge' : 'purged'} ${shown(id)}`);
    io.err(result.cancelled ? 'cancelled: nothing deleted (not confirmed; --yes confirms without a terminal)' : `${options.dryRun ? 'dry run: ' : ''}${result.purged.length} ${options.dryRun ? 'to purge' : 'purged'}, ${result.failed.length} failed`);
  }
  // Not done is not success: a script that ran without a terminal (no --yes) must notice.
  if (result.failed.length > 0 || result.cancelled) io.fail();
  return result;
}
