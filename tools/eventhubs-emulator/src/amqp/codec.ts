/**
 * The few AMQP 1.0 type-system operations the hot path needs, on raw bytes: skip a value,
 * read a symbol, write longs/strings/timestamps/maps. Decoding whole messages with rhea and
 * re-encoding them costs several microseconds per event; splicing bytes keeps events
 * byte-for-byte identical and leaves the CPU to the socket.
 */

export class AmqpFormatError extends Error {
  override readonly name = 'AmqpFormatError';
}

function need(buf: Buffer, end: number): void {
  if (end > buf.length) throw new AmqpFormatError(`truncated AMQP value (need ${end} bytes, have ${buf.length})`);
}

/** Returns the position just after the encoded value that starts at `pos`. */
export function skipValue(buf: Buffer, pos: number): number {
  need(buf, pos + 1);
  const code = buf[pos] as number;
  if (code === 0x00) return skipValue(buf, skipValue(buf, pos + 1)); // described: descriptor, value
  const width = code >> 4;
  let end: number;
  switch (width) {
    case 0x4: end = pos + 1; break;
    case 0x5: end = pos + 2; break;
    case 0x6: end = pos + 3; break;
    case 0x7: end = pos + 5; break;
    case 0x8: end = pos + 9; break;
    case 0x9: end = pos + 17; break;
    case 0xa: case 0xc: case 0xe:
      need(buf, pos + 2);
      end = pos + 2 + (buf[pos + 1] as number);
      break;
    case 0xb: case 0xd: case 0xf:
      need(buf, pos + 5);
      end = pos + 5 + buf.readUInt32BE(pos + 1);
      break;
    default:
      throw new AmqpFormatError(`unknown AMQP constructor 0x${code.toString(16)} at ${pos}`);
  }
  need(buf, end);
  return end;
}

/** Reads a symbol or string at `pos`; undefined for any other type. */
export function readSymbolOrString(buf: Buffer, pos: number): string | undefined {
  const code = buf[pos];
  if (code === 0xa3 || code === 0xa1) return buf.toString('utf8', pos + 2, pos + 2 + (buf[pos + 1] as number));
  if (code === 0xb3 || code === 0xb1) return buf.toString('utf8', pos + 5, pos + 5 + buf.readUInt32BE(pos + 1));
  return undefined;
}

/** Binary (vbin8/vbin32) content at `pos` as a view, without copying. */
export function readBinary(buf: Buffer, pos: number): Buffer {
  const code = buf[pos];
  if (code === 0xa0) return buf.subarray(pos + 2, pos + 2 + (buf[pos + 1] as number));
  if (code === 0xb0) return buf.subarray(pos + 5, pos + 5 + buf.readUInt32BE(pos + 1));
  throw new AmqpFormatError(`expected binary at ${pos}, found 0x${(code ?? 0).toString(16)}`);
}

export interface MapEntry {
  key: string | undefined;
  /** The encoded key and value, as they were on the wire. */
  bytes: Buffer;
}

/** The entries of an encoded map (map8, map32 or null) at `pos`. */
export function readMapEntries(buf: Buffer, pos: number): MapEntry[] {
  const code = buf[pos];
  if (code === 0x40) return [];
  let count: number;
  let cursor: number;
  if (code === 0xc1) {
    count = buf[pos + 2] as number;
    cursor = pos + 3;
  } else if (code === 0xd1) {
    count = buf.readUInt32BE(pos + 5);
    cursor = pos + 9;
  } else {
    throw new AmqpFormatError(`expected map at ${pos}, found 0x${(code ?? 0).toString(16)}`);
  }
  const entries: MapEntry[] = [];
  for (let i = 0; i < count; i += 2) {
    const valueStart = skipValue(buf, cursor);
    const end = skipValue(buf, valueStart);
    entries.push({ key: readSymbolOrString(buf, cursor), bytes: buf.subarray(cursor, end) });
    cursor = end;
  }
  return entries;
}

export function encodeSymbol(value: string): Buffer {
  const text = Buffer.from(value, 'ascii');
  if (text.length < 256) return Buffer.concat([Buffer.from([0xa3, text.length]), text]);
  const head = Buffer.alloc(5);
  head[0] = 0xb3;
  head.writeUInt32BE(text.length, 1);
  return Buffer.concat([head, text]);
}

export function encodeString(value: string): Buffer {
  const text = Buffer.from(value, 'utf8');
  if (text.length < 256) return Buffer.concat([Buffer.from([0xa1, text.length]), text]);
  const head = Buffer.alloc(5);
  head[0] = 0xb1;
  head.writeUInt32BE(text.length, 1);
  return Buffer.concat([head, text]);
}

export function encodeLong(value: number): Buffer {
  const out = Buffer.alloc(9);
  out[0] = 0x81;
  out.writeBigInt64BE(BigInt(value), 1);
  return out;
}

export function encodeTimestamp(ms: number): Buffer {
  const out = Buffer.alloc(9);
  out[0] = 0x83;
  out.writeBigInt64BE(BigInt(ms), 1);
  return out;
}

/** A map32 from already-encoded key/value pairs. */
export function encodeMap(entries: readonly Buffer[]): Buffer {
  let size = 4;
  for (const entry of entries) size += entry.length;
  const head = Buffer.alloc(9);
  head[0] = 0xd1;
  head.writeUInt32BE(size, 1);
  head.writeUInt32BE(entries.length * 2, 5);
  return Buffer.concat([head, ...entries]);
}
