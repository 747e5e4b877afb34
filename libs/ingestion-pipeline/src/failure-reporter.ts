import type { IssueCode } from '@telemetry/core';

/**
 * Where the pipeline reports failures for the cross-instance circuit breaker. Called once per
 * batch with counts (never per event), and best effort: a reporting failure never fails a batch.
 */
export interface FailureReporter {
  record(failures: Partial<Record<IssueCode, number>>): Promise<void>;
}

export const noFailureReporter: FailureReporter = { record: async () => undefined };
