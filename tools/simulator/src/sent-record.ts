import { createHash } from 'node:crypto';
import type { Telemetry } from '@telemetry/device-state';
import type { IotHubEnvelope } from './iot-hub-message';

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
  /**
   * IoT Hub mode: the identity the event was forwarded with. `deviceId` above is then the
   * authenticated device; `attack` says what the event tries (spoof, module, non-telemetry).
   */
  iotHub?: IotHubEnvelope & { attack?: IotHubAttack };
}

/** What an IoT Hub mode event that must not be applied tries to do. */
export type IotHubAttack = 'spoof' | 'module' | 'non-telemetry';

export const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');
