import type { EventHubLag, PartitionLag } from '@telemetry/contracts';

/** Azure's default: the infra's `messageRetentionInDays` (infra/modules/event-hubs.bicep) is 1 day. */
export const DEFAULT_RETENTION_HOURS = 24;

/**
 * The one rule for time to data loss: a partition's oldest unprocessed event (the one after the
 * checkpoint) expires `retention` after it was enqueued; until then ingestion can still read it.
 * Staleness: a checkpoint past the last sequence number (hub recreated: the trigger stalls) or
 * before the retained range (events expired unread).
 */
export function dataLossOf(
  lag: PartitionLag,
  oldestUnprocessedTimeUtc: string | null,
  retentionSeconds: number,
  beginningSequenceNumber: number,
  now: Date,
): PartitionLag {
  const behind = lag.lag > 0 && oldestUnprocessedTimeUtc !== null;
  const age = behind ? Math.max(0, (now.getTime() - Date.parse(oldestUnprocessedTimeUtc)) / 1000) : 0;
  const cp = lag.checkpointSequenceNumber;
  const stale = cp !== null && (cp > lag.lastEnqueuedSequenceNumber || cp < beginningSequenceNumber - 1);
  return {
    ...lag,
    oldestUnprocessedTimeUtc: behind ? oldestUnprocessedTimeUtc : null,
    oldestUnprocessedAgeSeconds: Math.round(age),
    timeToDataLossSeconds: behind ? Math.round(retentionSeconds - age) : null,
    staleCheckpoint: stale,
  };
}

/** The smallest time to data loss over partitions; null when none is behind. */
export function minTimeToDataLoss(partitions: PartitionLag[]): number | null {
  const figures = partitions.map((p) => p.timeToDataLossSeconds).filter((s): s is number => typeof s === 'number');
  return figures.length > 0 ? Math.min(...figures) : null;
}

/**
 * The alert margin (infra/modules/alerts.bicep `dataLossMarginHours`): half the retention or 12
 * hours, whichever is smaller, in hours.
 */
export function defaultDataLossMarginHours(retentionHours: number): number {
  return Math.min(retentionHours / 2, 12);
}

/** Whether the data-loss alert fires for a lag reading: the same condition the metric alert evaluates (minimum < margin). */
export function dataLossAlertFires(lag: Pick<EventHubLag, 'minTimeToDataLossSeconds'>, marginHours: number): boolean {
  return typeof lag.minTimeToDataLossSeconds === 'number' && lag.minTimeToDataLossSeconds < marginHours * 3600;
}
