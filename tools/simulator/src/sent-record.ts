import { createHash } from 'node:crypto';
import type { Telemetry } from '@telemetry/device-state';

/** One event the simulator sent: what an audit needs to account for it. */
export interface SentEvent {
  /** Position in the run. */
  index: number;
  deviceId: string;
  kind: 'valid' | 'corrupt';
  /** For duplicates: the index of the event whose body this repeats. */
  duplicateOf?: number;
  /** Expected issue code for corrupt events. */
  expectedCode?: string;
  /** sha256 of the body, hex: matches DeadLetter.bodySha256. */
  sha256: string;
  bytes: number;
  telemetry?: Telemetry;
  sentAt: number;
}

export const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');
