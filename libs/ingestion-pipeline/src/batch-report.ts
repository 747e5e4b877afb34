import type { IssueCode } from '@telemetry/core';

/** What one batch did: logged once per batch, summed into metrics. */
export interface BatchReport {
  received: number;
  /** Events that decoded and validated. */
  valid: number;
  /** Distinct devices in the batch (= at most that many store writes). */
  devices: number;
  /** Devices whose document was written. */
  written: number;
  /** Devices for which the batch changed nothing (duplicates, older events): no write. */
  unchanged: number;
  /** Valid events whose device write succeeded or was unnecessary. */
  applied: number;
  deadLettered: number;
  deadLetteredByCode: Partial<Record<IssueCode, number>>;
  firstSequenceNumber: number | null;
  lastSequenceNumber: number | null;
}
