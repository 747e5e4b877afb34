import path from 'node:path';

/**
 * One file of a partition log. The name carries the first sequence number and the first
 * (logical byte) offset it holds, so even an empty active segment tells where the log goes on.
 */
export interface Segment {
  path: string;
  baseSequence: number;
  baseOffset: number;
  /** Bytes of whole records in the file. */
  size: number;
  /** Records in the file. */
  count: number;
  /** Enqueued time of the last record (ms), 0 when empty. */
  lastEnqueuedMs: number;
}

const NAME = /^(\d{20})-(\d{20})\.seg$/;

export function segmentFileName(baseSequence: number, baseOffset: number): string {
  return `${String(baseSequence).padStart(20, '0')}-${String(baseOffset).padStart(20, '0')}.seg`;
}

export function parseSegmentFileName(dir: string, name: string): Segment | undefined {
  const match = NAME.exec(name);
  if (!match) return undefined;
  return {
    path: path.join(dir, name),
    baseSequence: Number(match[1]),
    baseOffset: Number(match[2]),
    size: 0,
    count: 0,
    lastEnqueuedMs: 0,
  };
}
