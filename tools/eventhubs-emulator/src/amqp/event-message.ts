import { crc32 } from 'node:zlib';
import { encodeLong, encodeMap, encodeString, encodeSymbol, encodeTimestamp } from './codec';
import { PARTITION_KEY, type IncomingEvent } from './incoming-events';

const SEQUENCE_NUMBER = encodeSymbol('x-opt-sequence-number');
const OFFSET = encodeSymbol('x-opt-offset');
const ENQUEUED_TIME = encodeSymbol('x-opt-enqueued-time');
const PARTITION_KEY_SYMBOL = encodeSymbol(PARTITION_KEY);
const RESERVED = new Set(['x-opt-sequence-number', 'x-opt-offset', 'x-opt-enqueued-time']);
const MESSAGE_ANNOTATIONS = Buffer.from([0x00, 0x53, 0x72]);
const DELIVERY_ANNOTATIONS = Buffer.from([0x00, 0x53, 0x71]);

/** Record framing (see storage/record.ts): u32 length | u32 crc | u8 version | f64 seq | f64 time | u32 headerEnd. */
const RECORD_PREFIX = 29;
const RECORD_VERSION = 1;

export interface SystemProperties {
  sequenceNumber: number;
  offset: number;
  enqueuedMs: number;
}

/** The event as consumers receive it: producer sections with the service annotations spliced in. */
export interface EventMessage {
  /** Encoded AMQP message. */
  bytes: Buffer;
  /** Length of the header section at the start of `bytes` (0 when none): delivery annotations go there. */
  headerEnd: number;
}

export interface EventRecord {
  /** The framed log record (storage/record.ts format). */
  record: Buffer;
  /** The delivered message: a view into `record`. */
  message: EventMessage;
}

/**
 * Builds the stored record and the delivered message in one allocation (the hot path of
 * every send): producer header, message annotations = producer entries (minus the
 * service-owned ones) + partition key from the batch envelope + sequence number, offset
 * (string) and enqueued time, then the producer's properties, application properties,
 * body and footer as they arrived.
 */
export function buildEventRecord(event: IncomingEvent, system: SystemProperties, transferPartitionKey?: string): EventRecord {
  const entries: Buffer[] = [];
  let entryBytes = 0;
  for (const entry of event.annotations) {
    if (entry.key === undefined || !RESERVED.has(entry.key)) {
      entries.push(entry.bytes);
      entryBytes += entry.bytes.length;
    }
  }
  let extraKey: Buffer | undefined;
  if (event.partitionKey === undefined && transferPartitionKey !== undefined) {
    extraKey = encodeString(transferPartitionKey);
    entryBytes += PARTITION_KEY_SYMBOL.length + extraKey.length;
  }
  const offsetText = String(system.offset);
  // sym + long, sym + str8 (offsets stay far below 255 digits), sym + timestamp
  const systemBytes = SEQUENCE_NUMBER.length + 9 + OFFSET.length + 2 + offsetText.length + ENQUEUED_TIME.length + 9;
  const mapBody = 4 + entryBytes + systemBytes; // count + entries
  const header = event.header;
  const headerLength = header?.length ?? 0;
  let restBytes = 0;
  for (const section of event.rest) restBytes += section.length;
  const messageLength = headerLength + 3 + 5 + mapBody + restBytes;
  const out = Buffer.allocUnsafe(RECORD_PREFIX + messageLength);
  let pos = RECORD_PREFIX;
  if (header) pos += header.copy(out, pos);
  pos += MESSAGE_ANNOTATIONS.copy(out, pos);
  out[pos] = 0xd1;
  out.writeUInt32BE(mapBody, pos + 1);
  out.writeUInt32BE((entries.length + (extraKey ? 1 : 0) + 3) * 2, pos + 5);
  pos += 9;
  for (const entry of entries) pos += entry.copy(out, pos);
  if (extraKey) {
    pos += PARTITION_KEY_SYMBOL.copy(out, pos);
    pos += extraKey.copy(out, pos);
  }
  pos += SEQUENCE_NUMBER.copy(out, pos);
  out[pos] = 0x81;
  out.writeBigInt64BE(BigInt(system.sequenceNumber), pos + 1);
  pos += 9;
  pos += OFFSET.copy(out, pos);
  out[pos] = 0xa1;
  out[pos + 1] = offsetText.length;
  pos += 2 + out.write(offsetText, pos + 2, 'latin1');
  pos += ENQUEUED_TIME.copy(out, pos);
  out[pos] = 0x83;
  out.writeBigInt64BE(BigInt(system.enqueuedMs), pos + 1);
  pos += 9;
  for (const section of event.rest) pos += section.copy(out, pos);

  out.writeUInt32LE(out.length - 8, 0);
  out[8] = RECORD_VERSION;
  out.writeDoubleLE(system.sequenceNumber, 9);
  out.writeDoubleLE(system.enqueuedMs, 17);
  out.writeUInt32LE(headerLength, 25);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return { record: out, message: { bytes: out.subarray(RECORD_PREFIX), headerEnd: headerLength } };
}

export interface RuntimeInfo {
  lastSequenceNumber: number;
  lastOffset: number;
  lastEnqueuedMs: number;
  retrievalMs: number;
}

/** Receiver runtime metrics, as delivery annotations the SDK reads into lastEnqueuedEventProperties. */
export function withRuntimeInfo(message: EventMessage, info: RuntimeInfo): Buffer {
  const annotations = encodeMap([
    Buffer.concat([encodeSymbol('last_enqueued_sequence_number'), encodeLong(info.lastSequenceNumber)]),
    Buffer.concat([encodeSymbol('last_enqueued_offset'), encodeString(String(info.lastOffset))]),
    Buffer.concat([encodeSymbol('last_enqueued_time_utc'), encodeTimestamp(info.lastEnqueuedMs)]),
    Buffer.concat([encodeSymbol('runtime_info_retrieval_time_utc'), encodeTimestamp(info.retrievalMs)]),
  ]);
  const { bytes, headerEnd } = message;
  return Buffer.concat([bytes.subarray(0, headerEnd), DELIVERY_ANNOTATIONS, annotations, bytes.subarray(headerEnd)]);
}
