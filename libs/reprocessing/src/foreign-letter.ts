import { createHash } from 'node:crypto';
import { redactBodyBytes } from '@telemetry/core';
import { DEAD_LETTER_SCHEMA, deadLetterId, decodeDeadLetter, type DeadLetter } from '@telemetry/contracts';

/** The message text as the trigger delivered it (a parsed object, or text that was not JSON). */
export function messageText(message: unknown): string {
  if (typeof message === 'string') return message;
  if (message instanceof Uint8Array) return Buffer.from(message).toString('utf8');
  return JSON.stringify(message) ?? String(message);
}

/**
 * Wraps a queue message that is not a dead letter (hand-written, truncated, another producer's)
 * in one, code UNKNOWN, keeping its bytes as the body (credentials masked): it can be parked and
 * inspected like any other.
 */
export function foreignLetter(message: unknown, now: Date = new Date()): DeadLetter {
  const bytes = message instanceof Uint8Array ? Buffer.from(message) : Buffer.from(messageText(message), 'utf8');
  const bodySha256 = createHash('sha256').update(bytes).digest('hex');
  // Anyone who can write the queue wrote these bytes: a credential in them is masked as in any letter's body.
  const kept = redactBodyBytes(bytes);
  return {
    schema: DEAD_LETTER_SCHEMA,
    // No Event Hubs coordinates: the message's bytes are its identity (the same message twice is one letter).
    id: deadLetterId({ messageSha256: bodySha256 }, 'UNKNOWN'),
    issue: { code: 'UNKNOWN', message: 'the queue message is not a telemetry dead letter', retryable: false, stage: 'reprocess' },
    body: kept.toString('base64'),
    ...(kept !== bytes ? { bodyRedacted: true as const } : {}),
    bodyBytes: bytes.byteLength,
    bodySha256,
    eventHubName: null,
    consumerGroup: null,
    partitionId: '',
    sequenceNumber: -1,
    offset: '',
    enqueuedTimeUtc: '',
    partitionKey: null,
    properties: {},
    deviceId: null,
    decoded: null,
    attempts: 0,
    failedAt: now.toISOString(),
    producer: { app: 'unknown', invocationId: null },
  };
}

/** The dead letter in a queue message, or null when it is not one. */
export function tryDecodeLetter(message: unknown): DeadLetter | null {
  try {
    return decodeDeadLetter(message instanceof Uint8Array ? Buffer.from(message).toString('utf8') : (message as string | object));
  } catch {
    return null;
  }
}
