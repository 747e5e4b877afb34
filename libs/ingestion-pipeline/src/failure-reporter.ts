import type { IssueCode } from '@telemetry/core';

/**
 * Where the pipeline reports failures for the cross-instance circuit breaker. Called once per
 * batch with counts by code, and best effort: a reporting failure never fails a batch. A count is
 * one failed operation: an event that did not decode, one device's store write (however many
 * events it carried), one dead-letter write; not one per event dead-lettered by it.
 */
export interface FailureReporter {
  record(failures: Partial<Record<IssueCode, number>>): Promise<void>;
}

export const noFailureReporter: FailureReporter = { record: async () => undefined };
