const QUOTE = 34;
const BACKSLASH = 92;
const MINUS = 45;
const PLUS = 43;
const DOT = 46;
const ZERO = 48;
const NINE = 57;
/** 10^0 .. 10^22: the powers of ten a double holds exactly. */
const POW10 = Array.from({ length: 23 }, (_, k) => Number(`1e${k}`));

/*
 * Readers of the plain forms of the JSON grammar in a body's UTF-8 bytes: strings of printable ASCII
 * without escapes, numbers, true, false, null. Each takes the index where the token starts and
 * returns the index just past it, or -1 when the token is not there or not plain (an escape, a
 * control character, any byte past ASCII, a grammar error); the caller then gives up and leaves
 * the body to JSON.parse. Whatever a reader accepts, JSON.parse reads the same. Out-of-range
 * reads of a Uint8Array give undefined, which fails every test below, so the end needs no check.
 */

/** What the last readNumber and readBoolean read. */
export const lastRead = { number: 0, boolean: false };

/** Skips JSON whitespace. */
export function skipSpace(b: Uint8Array, i: number): number {
  for (;;) {
    const c = b[i];
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** On an opening quote: past the closing quote of a plain string (its text is [i + 1, result - 1)). */
export function readPlainString(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) return -1;
  for (i++; ; i++) {
    const c = b[i]!;
    if (c === QUOTE) return i + 1;
    if (!(c >= 0x20 && c < 0x80) || c === BACKSLASH) return -1;
  }
}

/** True when the bytes at i spell `word` followed by a closing quote. */
export function spells(b: Uint8Array, i: number, word: string): boolean {
  const n = word.length;
  for (let k = 0; k < n; k++) if (b[i + k] !== word.charCodeAt(k)) return false;
  return b[i + n] === QUOTE;
}

const isDigit = (c: number | undefined): boolean => (c as number) >= ZERO && (c as number) <= NINE;

/**
 * A JSON number (the strict grammar: no leading zeros, no bare dot, no `+`) into lastRead.number.
 * Short decimals are read as mantissa / 10^scale: both exact doubles, so the one division rounds
 * correctly, as JSON.parse does; the rest go through Number() of the same characters.
 */
export function readNumber(b: Buffer, i: number): number {
  const start = i;
  let c = b[i];
  const negative = c === MINUS;
  if (negative) c = b[++i];
  let mantissa = 0;
  let scale = 0;
  if (c === ZERO) c = b[++i];
  else if (isDigit(c)) {
    do {
      mantissa = mantissa * 10 + ((c as number) - ZERO);
      c = b[++i];
    } while (isDigit(c));
  } else return -1;
  if (c === DOT) {
    c = b[++i];
    if (!isDigit(c)) return -1;
    do {
      mantissa = mantissa * 10 + ((c as number) - ZERO);
      scale++;
      c = b[++i];
    } while (isDigit(c));
  }
  let exponent = false;
  if (c === 101 || c === 69) {
    exponent = true;
    c = b[++i];
    if (c === PLUS || c === MINUS) c = b[++i];
    if (!isDigit(c)) return -1;
    do c = b[++i];
    while (isDigit(c));
  }
  // Every partial mantissa is below the final one, so a final one within 2^53 was exact throughout.
  if (!exponent && mantissa <= Number.MAX_SAFE_INTEGER && scale <= 22) {
    const value = mantissa / POW10[scale]!;
    lastRead.number = negative ? -value : value;
  } else {
    lastRead.number = Number(b.toString('latin1', start, i));
  }
  return i;
}

export function readBoolean(b: Uint8Array, i: number): number {
  if (b[i] === 116 && b[i + 1] === 114 && b[i + 2] === 117 && b[i + 3] === 101) {
    lastRead.boolean = true;
    return i + 4;
  }
  if (b[i] === 102 && b[i + 1] === 97 && b[i + 2] === 108 && b[i + 3] === 115 && b[i + 4] === 101) {
    lastRead.boolean = false;
    return i + 5;
  }
  return -1;
}

/** Past a plain string, number, true, false or null; -1 for anything else (objects, arrays). */
export function skipPrimitive(b: Buffer, i: number): number {
  const c = b[i];
  if (c === QUOTE) return readPlainString(b, i);
  if (c === 110) return b[i + 1] === 117 && b[i + 2] === 108 && b[i + 3] === 108 ? i + 4 : -1;
  if (c === 116 || c === 102) return readBoolean(b, i);
  return readNumber(b, i);
}
