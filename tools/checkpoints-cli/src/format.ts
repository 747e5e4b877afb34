import type { EventHubLag, PartitionLag } from '@telemetry/contracts';
import type { RewindPlan } from '@telemetry/azure-event-hubs';

const duration = (seconds: number | null | undefined): string => {
  if (seconds === null || seconds === undefined) return '-';
  const sign = seconds < 0 ? '-' : '';
  const s = Math.abs(Math.round(seconds));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60);
  return `${sign}${h > 0 ? `${h}h` : ''}${h > 0 || m > 0 ? `${m}m` : ''}${s % 60}s`;
};

const table = (rows: string[][]): string => {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n') + '\n';
};

export function formatStatus(description: string, lag: EventHubLag): string {
  const rows = [['partition', 'checkpoint', 'last enqueued', 'last enqueued at', 'lag (events)', 'lag (time)', 'time to data loss', 'stale']];
  for (const p of lag.partitions as PartitionLag[]) {
    rows.push([
      p.partitionId, p.checkpointSequenceNumber === null ? 'none' : String(p.checkpointSequenceNumber), String(p.lastEnqueuedSequenceNumber),
      p.lastEnqueuedTimeUtc ?? '-', String(p.lag), duration(p.oldestUnprocessedAgeSeconds), duration(p.timeToDataLossSeconds), p.staleCheckpoint ? 'STALE' : 'no',
    ]);
  }
  return `${description}, retention ${lag.retentionHours ?? '?'} h\n${table(rows)}total lag ${lag.lagTotal} events; least time to data loss ${duration(lag.minTimeToDataLossSeconds)}\n`;
}

export function formatPlan(plan: RewindPlan): string {
  const rows = [['partition', 'checkpoint now', 'new checkpoint', 'events to read', 'read again', 'span from', 'span to', 'span']];
  for (const p of plan.partitions) {
    rows.push([
      p.partitionId, p.fromSequenceNumber === null ? 'none' : String(p.fromSequenceNumber), String(p.to.sequenceNumber), String(p.toReplay),
      String(p.processedAgain), p.span?.from ?? '-', p.span?.to ?? '-', duration(p.span?.seconds ?? null),
    ]);
  }
  const again = plan.partitions.reduce((n, p) => n + Math.max(0, p.processedAgain), 0);
  return `rewind ${plan.eventHubName} (${plan.consumerGroup}) to ${plan.target}\n${table(rows)}${again} events would be processed again\n`;
}
