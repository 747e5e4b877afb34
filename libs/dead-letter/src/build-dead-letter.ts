import { createHash, randomUUID } from 'node:crypto';
import { isSecretName, redactSecrets, type PipelineError } from '@telemetry/core';
import type { EventBody, Telemetry } from '@telemetry/device-state';
import { DEAD_LETTER_SCHEMA, type DeadLetter, type SourceContext, type SourceEvent } from '@telemetry/contracts';

/** The body's bytes exactly as received (strings as UTF-8, parsed values re-serialised). */
export function bodyBytesOf(body: EventBody): Buffer {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  if (body instanceof ArrayBuffer) return Buffer.from(body);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  try {
    return Buffer.from(JSON.stringify(body) ?? 'null', 'utf8');
  } catch {
    return Buffer.alloc(0);
  }
}

function safeValue(value: unknown): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (value instanceof Uint8Array) return { $binary: Buffer.from(value).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  return value;
}

/** Application properties made JSON-safe, with credential-like names and values redacted. */
export function safeProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    out[key] = isSecretName(key) ? '***' : safeValue(value);
  }
  return out;
}

const DEVICE_ID_IN_TEXT = /"deviceId"\s*:\s*"([A-Za-z0-9._:-]{1,64})"/;

/** Best effort: the device id of an event that failed to decode, for operators' filters. */
function deviceIdOf(event: SourceEvent, decoded: Telemetry | null, bytes: Buffer): string | null {
  if (decoded) return decoded.deviceId;
  if (event.partitionKey && /^[A-Za-z0-9._:-]{1,64}$/.test(event.partitionKey)) return event.partitionKey;
  const match = DEVICE_ID_IN_TEXT.exec(bytes.subarray(0, 4096).toString('utf8'));
  return match?.[1] ?? null;
}

export interface BuildDeadLetterInput {
  error: PipelineError;
  event: SourceEvent;
  source?: SourceContext;
  decoded?: Telemetry | null;
  attempts: number;
  app: string;
  invocationId?: string | null;
  now?: Date;
}

export function buildDeadLetter(input: BuildDeadLetterInput): DeadLetter {
  const { error, event, source, attempts, app } = input;
  const bytes = bodyBytesOf(event.body);
  const decoded = input.decoded ?? null;
  return {
    schema: DEAD_LETTER_SCHEMA,
    id: randomUUID(),
    issue: error.toIssue(),
    body: bytes.toString('base64'),
    bodyBytes: bytes.byteLength,
    bodySha256: createHash('sha256').update(bytes).digest('hex'),
    eventHubName: source?.eventHubName ?? null,
    consumerGroup: source?.consumerGroup ?? null,
    partitionId: event.partitionId,
    sequenceNumber: event.sequenceNumber,
    offset: event.offset,
    enqueuedTimeUtc: event.enqueuedTimeUtc,
    partitionKey: event.partitionKey,
    properties: safeProperties(event.properties),
    deviceId: deviceIdOf(event, decoded, bytes),
    decoded,
    attempts,
    failedAt: (input.now ?? new Date()).toISOString(),
    producer: { app, invocationId: input.invocationId ?? null },
  };
}

/** The original body bytes of a (resolved, not claim-checked) dead letter. */
export function originalBody(letter: DeadLetter): Buffer {
  if (letter.body === null) throw new Error(`dead letter ${letter.id} is claim-checked: resolve it first`);
  return Buffer.from(letter.body, 'base64');
}
