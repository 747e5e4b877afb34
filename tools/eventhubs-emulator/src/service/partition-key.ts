/**
 * Maps a partition key to a partition the way Event Hubs does (Jenkins lookup3 "hashlittle2"
 * over the UTF-8 key, folded to a signed 16-bit value), as @azure/event-hubs's own
 * partitionKeyToIdMapper does for the buffered producer. Same key, same partition, same
 * answer as the service.
 */
export function partitionForKey(partitionKey: string, partitionCount: number): number {
  const { b, c } = hashLittle2(Buffer.from(partitionKey, 'utf8'));
  const hash = ((c ^ b) << 16) >> 16; // to int16
  return Math.abs(hash % partitionCount);
}

function rot(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function hashLittle2(data: Buffer): { b: number; c: number } {
  let a = (0xdeadbeef + data.length) | 0;
  let b = a;
  let c = a;
  let i = 0;
  let size = data.length;
  while (size > 12) {
    a = (a + data.readUInt32LE(i)) | 0;
    b = (b + data.readUInt32LE(i + 4)) | 0;
    c = (c + data.readUInt32LE(i + 8)) | 0;
    a = (a - c) | 0; a ^= rot(c, 4); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 6); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 8); b = (b + a) | 0;
    a = (a - c) | 0; a ^= rot(c, 16); c = (c + b) | 0;
    b = (b - a) | 0; b ^= rot(a, 19); a = (a + c) | 0;
    c = (c - b) | 0; c ^= rot(b, 4); b = (b + a) | 0;
    i += 12;
    size -= 12;
  }
  if (size === 0) return { b: b >>> 0, c: c >>> 0 };
  // Tail: bytes i..i+size-1, little-endian into c (8..11), b (4..7), a (0..3).
  const byte = (k: number): number => (k < size ? (data[i + k] as number) : 0);
  a = (a + (byte(0) | (byte(1) << 8) | (byte(2) << 16) | (byte(3) << 24))) | 0;
  if (size > 4) b = (b + (byte(4) | (byte(5) << 8) | (byte(6) << 16) | (byte(7) << 24))) | 0;
  if (size > 8) c = (c + (byte(8) | (byte(9) << 8) | (byte(10) << 16) | (byte(11) << 24))) | 0;
  c ^= b; c = (c - rot(b, 14)) | 0;
  a ^= c; a = (a - rot(c, 11)) | 0;
  b ^= a; b = (b - rot(a, 25)) | 0;
  c ^= b; c = (c - rot(b, 16)) | 0;
  a ^= c; a = (a - rot(c, 4)) | 0;
  b ^= a; b = (b - rot(a, 14)) | 0;
  c ^= b; c = (c - rot(b, 24)) | 0;
  return { b: b >>> 0, c: c >>> 0 };
}
