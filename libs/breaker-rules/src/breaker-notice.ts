import type { FailureCounts } from '@telemetry/failure-tracking';

export type NoticeKind = 'tripped' | 'reminder' | 'reopened' | 'recovered' | 'closed' | 'switch-failing' | 'switch-recovered';

/** What the operator is told. Contains a resume link (a bearer capability) but no other secret. */
export interface BreakerNotice {
  kind: NoticeKind;
  episode: number;
  at: string;
  reason: string;
  counts: FailureCounts;
  /** Signed, single-use approval link (tripped, reminder, reopened, recovered). */
  approveUrl?: string;
  expiresAt?: string;
  statusUrl?: string;
  /** Which ingestion target was switched, e.g. "arm-function: rg/app [ingestTelemetry]". */
  target: string;
  /** What opened the episode: the failure threshold (the monitor) or an operator's manual trip. Absent: the threshold. */
  trigger?: 'threshold' | 'manual';
  /** switch-failing / switch-recovered: what the switch should do and how it has gone so far. */
  switch?: { target: 'paused' | 'running'; attempts: number; lastError?: string; nextAttemptAt?: string };
}

/** The webhook body: `text` for Teams (connectors/workflows) and Slack, plus the structured fields for Logic Apps. */
export interface WebhookMessage {
  text: string;
  title: string;
  breaker: BreakerNotice;
}

const TITLES: Record<NoticeKind, string> = {
  tripped: 'Telemetry ingestion paused: failure threshold crossed',
  reminder: 'Telemetry ingestion still paused: approval needed',
  reopened: 'Telemetry ingestion paused again: trial resume failed',
  recovered: 'Telemetry ingestion paused again: the breaker recovered from a stopped episode',
  closed: 'Telemetry ingestion resumed',
  'switch-failing': 'Circuit breaker cannot switch ingestion: retrying',
  'switch-recovered': 'Circuit breaker switch works again',
};

/** The notice's title: a manual trip is not reported as a threshold crossing. */
export function noticeTitle(notice: Pick<BreakerNotice, 'kind' | 'trigger'>): string {
  return notice.kind === 'tripped' && notice.trigger === 'manual' ? 'Telemetry ingestion paused: tripped by an operator' : TITLES[notice.kind];
}

/** The failure counts as one line; a manual trip with none says so. */
export function noticeCounts(notice: Pick<BreakerNotice, 'counts' | 'trigger'>): string {
  return Object.entries(notice.counts).map(([code, n]) => `${code}: ${n}`).join(', ') || (notice.trigger === 'manual' ? 'none (a manual trip)' : 'none');
}

export function formatNotice(notice: BreakerNotice): WebhookMessage {
  const counts = noticeCounts(notice);
  const title = noticeTitle(notice);
  const lines = [
    `**${title}** (episode ${notice.episode})`,
    `Reason: ${notice.reason}`,
    `Failures: ${counts}`,
    `Target: ${notice.target}`,
  ];
  if (notice.switch) {
    const { target, attempts, lastError, nextAttemptAt } = notice.switch;
    lines.push(`Switch: ingestion should be ${target}; ${attempts} failed ${attempts === 1 ? 'try' : 'tries'}${lastError ? ` (last: ${lastError})` : ''}${nextAttemptAt ? `; next try ${nextAttemptAt}` : ''}`);
  }
  if (notice.approveUrl) lines.push(`Resume (single use, expires ${notice.expiresAt ?? 'soon'}): ${notice.approveUrl}`);
  if (notice.statusUrl) lines.push(`Status: ${notice.statusUrl}`);
  return { text: lines.join('\n\n'), title, breaker: notice };
}

export interface OperatorNotifier {
  notify(notice: BreakerNotice): Promise<void>;
}

/** When no webhook is configured: the notice is only logged by the caller. */
export const noOperatorNotifier: OperatorNotifier = { notify: async () => undefined };
