type Latin1Slicing = Buffer & { latin1Slice(start: number, end: number): string };

/**
 * The ASCII bytes [start, end) as a string: Buffer's own latin1Slice, which toString('latin1', ...)
 * calls after handling its arguments. Callers pass ASCII only, where Latin-1 and UTF-8 agree.
 */
export const asciiText = (b: Buffer, start: number, end: number): string => (b as Latin1Slicing).latin1Slice(start, end);

const SLOTS = 4096;
const recent = new Array<string>(SLOTS).fill('');

/**
 * asciiText for strings that recur from event to event (device ids): a fleet's ids come back
 * every second, so the string made last time for the same bytes is handed out again, with no new
 * string and its hash already computed for the coalescing Map. A direct-mapped table of 4,096
 * strings (at most 64 characters each from the caller: 512 KB at worst), checked byte by byte, so
 * a collision only costs a new string.
 */
export function recurringAsciiText(b: Buffer, start: number, end: number): string {
  let h = end - start;
  for (let i = start; i < end; i++) h = (Math.imul(h, 31) + b[i]!) | 0;
  const slot = h & (SLOTS - 1);
  const known = recent[slot]!;
  if (known.length === end - start) {
    let same = true;
    for (let k = 0; k < known.length; k++) {
      if (known.charCodeAt(k) !== b[start + k]) {
        same = false;
        break;
      }
    }
    if (same) return known;
  }
  const text = asciiText(b, start, end);
  recent[slot] = text;
  return text;
}
