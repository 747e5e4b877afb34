import { deadLetterStats, type DeadLetterStats } from '@telemetry/azure-storage-queue';
import type { CliIo } from '../io';
import type { DlqTarget } from '../target';
import { jsonText, shown } from '../terminal-text';
import { ageOf } from '../time-filter';

/** `stats`: still pending (queue, poison queue, poison-poison queue) and parked, by code, with the age of the oldest. */
export async function statsCommand(target: DlqTarget, io: CliIo, options: { json: boolean }): Promise<DeadLetterStats> {
  const stats = await deadLetterStats({ deadLetterQueue: target.deadLetterQueue, poisonQueue: target.poisonQueue, poisonPoisonQueue: target.poisonPoisonQueue, parking: target.parking });
  if (options.json) {
    io.out(jsonText(stats));
    return stats;
  }
  const lines = [`target: ${target.description}`];
  for (const [label, q] of [['pending', stats.pending], ['poison', stats.poison], ['poison2', stats.poisonPoison]] as const) {
    const sample = Object.entries(q.sampleByCode).map(([c, n]) => `${shown(c)}=${n}`).join(' ') || '-';
    lines.push(`${label.padEnd(8)} ${String(q.approximateCount).padStart(7)}  oldest visible ${ageOf(q.oldestInsertedAt)}  by code (first ${q.sampled}): ${sample}${q.duplicates ? `  (+${q.duplicates} copies)` : ''}${q.expiring ? `  ${q.expiring} EXPIRING` : ''}  [${q.queue}]`);
  }
  lines.push(`parked   ${String(stats.parked.total).padStart(7)}`);
  for (const c of stats.parked.byCode) lines.push(`  ${shown(c.code).padEnd(24)} ${String(c.count).padStart(6)}  oldest parked ${ageOf(c.oldestParkedAt)}, failed ${ageOf(c.oldestFailedAt)} ago`);
  io.out(lines.join('\n'));
  return stats;
}
