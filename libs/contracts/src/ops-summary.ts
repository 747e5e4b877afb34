import type { BreakerSwitchReport } from './breaker-status';

/**
 * `GET /api/ops/summary` of apps/device-status, read by the dashboard. Type-only: the browser
 * bundle imports these shapes and no code.
 */

/**
 * One part of the operations summary. Each source is probed on its own, so one service being
 * down shows as an error on its panel while the others still report.
 */
export type Probe<T> =
  | { status: 'ok'; data: T }
  | { status: 'error'; message: string }
  | { status: 'not-configured'; message: string };

export interface PartitionLag {
  partitionId: string;
  /** -1 when the partition is empty. */
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedTimeUtc: string | null;
  /** The ingestion consumer group's checkpoint; null before its first checkpoint. */
  checkpointSequenceNumber: number | null;
  /** Events enqueued after the checkpoint (not yet processed by ingestion). */
  lag: number;
  /**
   * Issue 19 (optional: absent where the oldest unprocessed event was not read). Enqueued time of
   * the oldest unprocessed event (the one after the checkpoint); null when nothing is behind.
   */
  oldestUnprocessedTimeUtc?: string | null;
  /** Its age in seconds at `observedAt` (0 when nothing is behind): lag in time. */
  oldestUnprocessedAgeSeconds?: number;
  /** Retention minus that age, in seconds: when the oldest unprocessed event expires unread. Null when nothing is behind. */
  timeToDataLossSeconds?: number | null;
  /** Checkpoint past the last sequence number (hub recreated) or before the retained range (events expired unread). */
  staleCheckpoint?: boolean;
}

export interface EventHubLag {
  eventHubName: string;
  consumerGroup: string;
  partitions: PartitionLag[];
  /** Sum over partitions of (last enqueued sequence number + 1): events ever enqueued. */
  enqueuedTotal: number;
  /** Sum over partitions of (checkpoint + 1): events ingestion has finished with. */
  checkpointedTotal: number;
  lagTotal: number;
  /** Issue 19 (optional): the hub's retention the figures use, in hours, and where it came from. */
  retentionHours?: number;
  retentionSource?: 'hub' | 'setting' | 'default';
  /** The smallest time to data loss over partitions (seconds); null when no partition is behind. */
  minTimeToDataLossSeconds?: number | null;
  /** When the ages were computed (ISO). */
  observedAt?: string;
}

/** The dead-letter queue's depth and a by-code sample of its oldest letters. */
export interface DeadLetterQueueSample {
  queue: string;
  /** Approximate message count reported by the queue service (includes invisible messages). */
  depth: number;
  /** How many messages byCode was computed from: the oldest ones, at most 32. */
  sampled: number;
  /** Issue code -> count within the sample. Exact when sampled === depth. */
  byCode: Record<string, number>;
  oldestFailedAt: string | null;
  /** Copies in the sample that share an id with an earlier one (counted once in byCode). */
  duplicates?: number;
  /** Messages in the sample that will expire (not TTL -1), e.g. the host's poison copies (7 days). */
  expiring?: number;
  /** `<queue>-poison` and `<queue>-poison-poison`, sampled the same way: every queue that can hold a letter. */
  poisonQueues?: DeadLetterQueueSample[];
}

/** Parked dead letters, counted up to a cap. */
export interface ParkedTally {
  table: string;
  /** Entities in the parking table, counted up to the cap. */
  count: number;
  /** True when counting stopped at the cap (the real count is higher). */
  capped: boolean;
  /** By PartitionKey, which the reprocessor's parking table sets to the issue code. */
  byCode: Record<string, number>;
}

/** One entry of the breaker's history as the status API shows it. */
export interface BreakerHistoryEntry {
  state: string;
  at: string | null;
  reason?: string;
  by?: string;
}

/** The breaker as the status API summarises it for operators (derived from BreakerStatusReport). */
export interface BreakerSummary {
  /** As the breaker reports it: closed / open / half-open. */
  state: string;
  since: string | null;
  reason?: string;
  /** Newest first, at most 20. */
  history: BreakerHistoryEntry[];
  /** Whether the breaker offers a resume approval right now. */
  canResume: boolean;
  /**
   * The breaker's approval page while it offers one: the dashboard links there (the operator
   * approves with the link they were sent, or signed in); neither app ever holds the signed link.
   */
  approvalPage?: string;
  /** The ingestion switch: whether it reached what the state implies (breakers since issue 13 item 9). */
  switch?: BreakerSwitchReport;
}

export interface DeviceCounts {
  /** Device documents in Cosmos. */
  count: number;
}

/** GET /api/ops/summary. Every part is probed independently: see Probe. */
export interface OpsSummary {
  generatedAt: string;
  devices: Probe<DeviceCounts>;
  eventHub: Probe<EventHubLag>;
  deadLetters: Probe<DeadLetterQueueSample>;
  parked: Probe<ParkedTally>;
  breaker: Probe<BreakerSummary>;
}
