/** Start (epoch ms) of the bucket holding `at`. */
export function bucketStart(at: number, bucketMs: number): number {
  return Math.floor(at / bucketMs) * bucketMs;
}

/**
 * The buckets a window reads: every bucket overlapping (now - windowMs, now], minus those that
 * start before `notBefore` (the bucket holding `notBefore` is skipped unless it starts exactly
 * there, so failures from before a close never count after it). Returns first/last bucket starts;
 * `first > last` means no bucket.
 */
export function windowBuckets(now: number, windowMs: number, bucketMs: number, notBefore?: number): { first: number; last: number } {
  const last = bucketStart(now, bucketMs);
  let first = bucketStart(now - windowMs + 1, bucketMs);
  if (notBefore !== undefined) first = Math.max(first, Math.ceil(notBefore / bucketMs) * bucketMs);
  return { first, last };
}

const KEY_DIGITS = 15;

/** Table partition key of a bucket: zero-padded epoch ms, so string order is time order. */
export function bucketKey(start: number): string {
  return String(Math.max(0, start)).padStart(KEY_DIGITS, '0');
}

export function bucketFromKey(key: string): number {
  return Number(key);
}
