import type { DeadLetter } from '@telemetry/contracts';

/** Who parked a letter: the reprocessor's routing, or the poison-queue drain. */
export type ParkedBy = 'reprocessor' | 'poison';

/** A dead letter set aside for an operator: the full letter (original bytes included) and why. */
export interface ParkedLetter {
  /** The dead letter's id. */
  id: string;
  /** The issue code it is filed under (the letter's code, or the reprocessor's last error code). */
  code: string;
  reason: string;
  parkedAt: string;
  /** Reprocessor attempts made before parking. */
  attempts: number;
  by: ParkedBy;
  letter: DeadLetter;
  /** The ingestion claim-check blob the letter came from, if any (deleted with the entry on purge). */
  claimCheckBlob?: string;
}

/** What `list` returns per entry: everything but the letter, which is loaded by `get`. */
export type ParkedSummary = Omit<ParkedLetter, 'letter'> & {
  deviceId: string | null;
  failedAt: string;
  bodyBytes: number;
  originalCode: string;
};

export interface ParkedQuery {
  code?: string;
  deviceId?: string;
  /** On the letter's failedAt (when it was dead-lettered), inclusive. */
  from?: Date;
  /** On the letter's failedAt, exclusive. */
  to?: Date;
  limit?: number;
}

export interface ParkedCount {
  code: string;
  count: number;
  oldestParkedAt: string | null;
  oldestFailedAt: string | null;
}

/** The operator-queryable parking store. `park` is an upsert by (code, id): parking twice is harmless. */
export interface ParkingStore {
  park(entry: ParkedLetter): Promise<void>;
  get(id: string): Promise<ParkedLetter | undefined>;
  list(query?: ParkedQuery): AsyncIterable<ParkedSummary>;
  remove(entry: { id: string; code: string; claimCheckBlob?: string }): Promise<void>;
  countByCode(): Promise<ParkedCount[]>;
}

export function summaryOf(entry: ParkedLetter): ParkedSummary {
  const { letter, claimCheckBlob: _c, ...rest } = entry;
  return { ...rest, deviceId: letter.deviceId, failedAt: letter.failedAt, bodyBytes: letter.bodyBytes, originalCode: letter.issue.code };
}

export function matchesQuery(s: { code: string; deviceId: string | null; failedAt: string }, q: ParkedQuery): boolean {
  const t = Date.parse(s.failedAt);
  return (
    (!q.code || s.code === q.code) &&
    (!q.deviceId || s.deviceId === q.deviceId) &&
    (!q.from || t >= q.from.getTime()) &&
    (!q.to || t < q.to.getTime())
  );
}
