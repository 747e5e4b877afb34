import type { PipelineError } from '@telemetry/core';
import type { DeviceStateDocument, DeviceStatePatch } from '@telemetry/device-state';

export type ApplyOutcome =
  | { deviceId: string; status: 'written' | 'unchanged'; attempts: number }
  | { deviceId: string; status: 'failed'; error: PipelineError; attempts: number };

/** Operation counts since start: what a batch really cost the store. */
export interface StoreStats {
  creates: number;
  replaces: number;
  reads: number;
  /** 409/412 answers that sent us through the re-read path. */
  conflicts: number;
  /** Calls retried after a transient fault. */
  retries: number;
  /** 429 answers seen. */
  throttles: number;
}

/**
 * The port the pipeline needs: apply per-device patches under the merge rule, at most one write
 * per device per call, and report each device's outcome (a failure never throws for the batch).
 */
export interface DeviceStateStore {
  apply(patches: Iterable<DeviceStatePatch>): Promise<ApplyOutcome[]>;
  get(deviceId: string): Promise<DeviceStateDocument | undefined>;
  stats(): StoreStats;
}
