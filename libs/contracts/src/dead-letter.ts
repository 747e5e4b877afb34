import type { IssueRecord } from '@telemetry/core';
import type { Telemetry } from '@telemetry/device-state';

export const DEAD_LETTER_SCHEMA = 'telemetry-dead-letter/v1';

/**
 * The dead-letter format (JSON; one queue message each). Everything needed to understand and
 * replay the event. A user-facing contract: extend, never rename.
 */
export interface DeadLetter {
  schema: typeof DEAD_LETTER_SCHEMA;
  /**
   * Derived from the event's source coordinates and the issue code (`deadLetterId`, 32 hex chars;
   * uuids before that rule): a retried batch rebuilds the same id, and copies that share an id are
   * one letter.
   */
  id: string;
  issue: IssueRecord;
  /** The original body, base64. null when the dead letter is claim-checked (see claimCheck). */
  body: string | null;
  /**
   * Set when the body held a credential (a connection string's key, a SAS `sig`, a bearer token,
   * a URL password...): it is masked (`***`) in `body`, which a redrive sends as it is; `bodyBytes`
   * and `bodySha256` still describe the body as received.
   */
  bodyRedacted?: true;
  bodyBytes: number;
  /** sha256 of the original body, hex: identifies duplicates of one event across redeliveries. */
  bodySha256: string;
  eventHubName: string | null;
  consumerGroup: string | null;
  partitionId: string;
  sequenceNumber: number;
  offset: string;
  enqueuedTimeUtc: string;
  partitionKey: string | null;
  /** Application properties of the event; credential-like names and values are redacted. */
  properties: Record<string, unknown>;
  /** The device id when it could be read, even from an invalid event. */
  deviceId: string | null;
  /**
   * IoT Hub identity mode only (absent in body mode): what IoT Hub said about the sender, from the
   * event's system properties. `claimedDeviceId` is the body's `deviceId` when it named another
   * device (EVENT_DEVICE_SPOOFED); `deviceId` above is then the authenticated one.
   */
  identity?: DeadLetterIdentity;
  /** The decoded telemetry when decoding and validation succeeded (store failures). */
  decoded: Telemetry | null;
  /** Store attempts made before giving up (0 for decode/validate failures). */
  attempts: number;
  failedAt: string;
  /** The app and invocation that wrote it. */
  producer: { app: string; invocationId: string | null };
  /** Set when the dead letter is bigger than a queue message: the full JSON is in this blob. */
  claimCheck?: { container: string; blobName: string; bytes: number };
  /**
   * Redrives so far (set by the reprocessor/operator tools). `reason` is the operator's note;
   * `originalBodySha256` is set when the redrive replaced the body (a corrected event).
   */
  redrive?: { count: number; lastAt: string; by: string; reason?: string; originalBodySha256?: string };
  /** The reprocessor's bounded retries of this letter (absent before its first attempt). */
  reprocess?: { attempts: number; lastCode: string; lastError: string; lastAttemptAt: string };
}

/** The IoT Hub identity of a dead-lettered event (DeadLetter.identity). */
export interface DeadLetterIdentity {
  source: 'iothub';
  /** `iothub-connection-device-id`: the device IoT Hub authenticated (null: none). */
  authenticatedDeviceId: string | null;
  /** The body's `deviceId`, when it named another device than the authenticated one. */
  claimedDeviceId: string | null;
  moduleId: string | null;
  authGenerationId: string | null;
  messageSource: string | null;
  /** `iothub-enqueuedtime`, ISO 8601. */
  enqueuedTime: string | null;
}
