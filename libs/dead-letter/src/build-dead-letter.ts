import { createHash } from 'node:crypto';
import { isSecretName, PipelineError, redactBodyBytes, redactBodyText, redactSecrets, redactValue } from '@telemetry/core';
import { DEVICE_ID_PATTERN, DeviceSpoofedError, IOT_HUB_DEVICE_ID_PATTERN, MAX_EVENT_BYTES, type EventBody, type IotHubIdentity, type Telemetry } from '@telemetry/device-state';
import { DEAD_LETTER_SCHEMA, deadLetterId, type DeadLetter, type DeadLetterIdentity, type SourceContext, type SourceEvent } from '@telemetry/contracts';

/**
 * How much of an oversize body (over MAX_EVENT_BYTES, so EVENT_OVERSIZE: it can never be applied)
 * a dead letter keeps: its first 16 KiB, enough to see the device and what bloated the event.
 * `bodyBytes` and `bodySha256` still describe the whole body. The whole body is never copied or
 * stored: an event of up to 1 MB (the Event Hubs limit) would cost a base64 copy, a JSON copy and
 * a claim-check blob each, for a whole batch at once. Event Hubs keeps the original for its
 * retention period (partitionId + sequenceNumber). See docs/security.md.
 */
export const OVERSIZE_BODY_KEPT_BYTES = 16 * 1024;

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
  // Binary values stay bytes (a redrive sends them again), with any credential they carry masked.
  if (value instanceof Uint8Array) return { $binary: redactBodyBytes(Buffer.from(value.buffer, value.byteOffset, value.byteLength)).toString('base64') };
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return value.toString();
  // Lists and maps (AMQP allows them): walked, credential-named entries masked.
  if (typeof value === 'object' && value !== null) return redactValue(value);
  return value;
}

/**
 * Application properties made JSON-safe, with credential-like names and values redacted. A name
 * is sender-chosen text too: one that carries a credential (a connection string sent as a name)
 * is kept redacted, with its value masked.
 */
export function safeProperties(properties: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties ?? {})) {
    if (key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const name = redactSecrets(key);
    out[name] = name !== key || isSecretName(key) ? '***' : safeValue(value);
  }
  return out;
}

const DEVICE_ID_IN_TEXT = /"deviceId"\s*:\s*"([A-Za-z0-9._:-]{1,64})"/;

/** Best effort: the device id of an event that failed to decode, for operators' filters. */
function deviceIdOf(event: SourceEvent, decoded: Telemetry | null, bytes: Buffer, identity: DeadLetterIdentity | undefined): string | null {
  if (decoded) return decoded.deviceId;
  // IoT Hub mode: the authenticated device, never what the body claims.
  if (identity) return identity.authenticatedDeviceId;
  if (event.partitionKey && DEVICE_ID_PATTERN.test(event.partitionKey)) return event.partitionKey;
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
  /** IoT Hub identity mode: what IoT Hub said about the sender (DeadLetter.identity). */
  identity?: IotHubIdentity;
}

/**
 * An id IoT Hub authenticated, as the reprocessor must apply it: verbatim when it is a valid IoT
 * Hub id (redacting would turn an ordinary long mixed-case id into `***`, and the replay would
 * write another device's document), null when it is not one (nothing can be applied under it:
 * the reprocessor parks the letter as EVENT_IDENTITY_MISSING).
 */
function authenticatedId(id: string | null): string | null {
  return id !== null && IOT_HUB_DEVICE_ID_PATTERN.test(id) ? id : null;
}

/** The letter's identity context; a spoofing error adds the id the body claimed. */
export function deadLetterIdentity(identity: IotHubIdentity, error?: unknown): DeadLetterIdentity {
  return {
    source: 'iothub',
    // Ids IoT Hub registered and authenticated: kept exactly (bounded by the id rule), or dropped.
    authenticatedDeviceId: authenticatedId(identity.deviceId),
    // Sender-supplied, so bounded (a claim-check summary keeps these) and redacted.
    claimedDeviceId: error instanceof DeviceSpoofedError ? redactSecrets(error.claimedDeviceId.slice(0, 256)) : null,
    moduleId: identity.moduleId === null ? null : (authenticatedId(identity.moduleId) ?? redactSecrets(identity.moduleId.slice(0, 256))),
    authGenerationId: identity.authGenerationId === null ? null : redactSecrets(identity.authGenerationId.slice(0, 256)),
    messageSource: identity.messageSource === null ? null : redactSecrets(identity.messageSource.slice(0, 100)),
    enqueuedTime: identity.enqueuedTime,
  };
}

export function buildDeadLetter(input: BuildDeadLetterInput): DeadLetter {
  const { error, event, source, attempts, app } = input;
  // A view of the delivered Buffer, not a copy: only `kept` is ever base64-encoded.
  const bytes = bodyBytesOf(event.body);
  const head = bytes.byteLength > MAX_EVENT_BYTES ? bytes.subarray(0, OVERSIZE_BODY_KEPT_BYTES) : bytes;
  // A credential in the body (a device that sends its connection string, in any encoding) is
  // masked there too (redactBodyBytes); a body without one is kept byte for byte.
  const kept = redactBodyBytes(head);
  const decoded = input.decoded ?? null;
  const identity = input.identity ? deadLetterIdentity(input.identity, error) : undefined;
  const bodySha256 = createHash('sha256').update(bytes).digest('hex');
  // An event without its sequence number (trigger metadata missing) has no coordinates that name
  // it: its bytes, sender and enqueue time do (two devices may send the same bytes, IoT Hub mode
  // bodies need no deviceId), or every such event of a partition would share one id.
  const located = Number.isSafeInteger(event.sequenceNumber) && event.sequenceNumber >= 0;
  const unlocatedSha256 = located
    ? ''
    : createHash('sha256').update(JSON.stringify([bodySha256, event.partitionId, event.partitionKey, event.enqueuedTimeUtc, identity?.authenticatedDeviceId ?? null])).digest('hex');
  return {
    schema: DEAD_LETTER_SCHEMA,
    // Derived, not random: a retried batch rebuilds the same letters (same ids, same claim-check blobs).
    id: deadLetterId(
      located
        ? { eventHubName: source?.eventHubName ?? null, consumerGroup: source?.consumerGroup ?? null, partitionId: event.partitionId, sequenceNumber: event.sequenceNumber }
        : { messageSha256: unlocatedSha256 },
      error.code,
    ),
    issue: error.toIssue(),
    body: kept.toString('base64'),
    ...(kept !== head ? { bodyRedacted: true as const } : {}),
    bodyBytes: bytes.byteLength,
    bodySha256,
    eventHubName: source?.eventHubName ?? null,
    consumerGroup: source?.consumerGroup ?? null,
    partitionId: event.partitionId,
    sequenceNumber: event.sequenceNumber,
    offset: event.offset,
    enqueuedTimeUtc: event.enqueuedTimeUtc,
    // Sent again by a redrive, so bare unpadded runs (device ids) stay; credentials in any encoding are masked.
    partitionKey: event.partitionKey === null ? null : redactBodyText(event.partitionKey.slice(0, 256)),
    properties: safeProperties(event.properties),
    deviceId: deviceIdOf(event, decoded, bytes, identity),
    ...(identity ? { identity } : {}),
    decoded,
    attempts,
    failedAt: (input.now ?? new Date()).toISOString(),
    producer: { app, invocationId: input.invocationId ?? null },
  };
}

/**
 * The original body bytes of a (resolved, not claim-checked) dead letter. Throws EVENT_OVERSIZE
 * (permanent) for a letter that kept only the head of an oversize body: there is nothing to
 * replay but a corrected body.
 */
export function originalBody(letter: DeadLetter): Buffer {
  if (letter.body === null) throw new Error(`dead letter ${letter.id} is claim-checked: resolve it first`);
  const body = Buffer.from(letter.body, 'base64');
  // Only the head of an oversize body was kept (a masked credential also shortens a whole body).
  if (letter.bodyBytes > MAX_EVENT_BYTES || (body.byteLength < letter.bodyBytes && !letter.bodyRedacted)) {
    throw new PipelineError(
      'EVENT_OVERSIZE',
      `dead letter ${letter.id} keeps only the first ${body.byteLength} of the event's ${letter.bodyBytes} bytes (over the ${MAX_EVENT_BYTES}-byte limit): redrive it with a corrected body`,
      { stage: 'reprocess' },
    );
  }
  return body;
}
