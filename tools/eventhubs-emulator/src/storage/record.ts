import { crc32 } from 'node:zlib';

/**
 * One stored event, framed for an append-only log:
 *   u32 payloadLength | u32 crc32(payload) | payload
 *   payload = u8 version | f64 sequenceNumber | f64 enqueuedMs | u32 headerEnd | AMQP message
 * Sequence numbers and times are doubles: exact up to 2^53, which no partition reaches.
 */
export const FRAME_HEADER_BYTES = 8;
const PAYLOAD_HEADER_BYTES = 21;
const VERSION = 1;

export interface StoredRecord {
  sequenceNumber: number;
  enqueuedMs: number;
  headerEnd: number;
  message: Buffer;
}

export function recordLength(messageBytes: number): number {
  return FRAME_HEADER_BYTES + PAYLOAD_HEADER_BYTES + messageBytes;
}

export function encodeRecord(record: StoredRecord): Buffer {
  const out = Buffer.allocUnsafe(recordLength(record.message.length));
  const payloadLength = PAYLOAD_HEADER_BYTES + record.message.length;
  out.writeUInt32LE(payloadLength, 0);
  out[8] = VERSION;
  out.writeDoubleLE(record.sequenceNumber, 9);
  out.writeDoubleLE(record.enqueuedMs, 17);
  out.writeUInt32LE(record.headerEnd, 25);
  record.message.copy(out, 29);
  out.writeUInt32LE(crc32(out.subarray(8)), 4);
  return out;
}

export type DecodeResult =
  | { kind: 'record'; record: StoredRecord; length: number }
  /** Not enough bytes for a whole record: a torn write at the tail, or the end of a read chunk. */
  | { kind: 'incomplete' }
  | { kind: 'corrupt'; reason: string };

/** Decodes the record at `pos`. The message is a view into `buf`. */
export function decodeRecord(buf: Buffer, pos: number): DecodeResult {
  if (buf.length - pos < FRAME_HEADER_BYTES) return { kind: 'incomplete' };
  const payloadLength = buf.readUInt32LE(pos);
  if (payloadLength < PAYLOAD_HEADER_BYTES) return { kind: 'corrupt', reason: `payload length ${payloadLength}` };
  const end = pos + FRAME_HEADER_BYTES + payloadLength;
  if (end > buf.length) return { kind: 'incomplete' };
  const payload = buf.subarray(pos + FRAME_HEADER_BYTES, end);
  if (crc32(payload) !== buf.readUInt32LE(pos + 4)) return { kind: 'corrupt', reason: 'crc mismatch' };
  if (payload[0] !== VERSION) return { kind: 'corrupt', reason: `version ${payload[0]}` };
  return {
    kind: 'record',
    length: end - pos,
    record: {
      sequenceNumber: payload.readDoubleLE(1),
      enqueuedMs: payload.readDoubleLE(9),
      headerEnd: payload.readUInt32LE(17),
      message: payload.subarray(21),
    },
  };
}
