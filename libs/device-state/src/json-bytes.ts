import * as ascii from './ascii-text';

// Bound once (see scan-telemetry.ts).
const { asciiText } = ascii;

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

/** Veltkamp's splitter for doubles: 2^27 + 1. */
const SPLIT = 134_217_729;
/** The exact error of the last twoProduct: a * b = product + productError. */
let productError = 0;

/** a * b, rounded, with its rounding error in productError, exactly (Dekker; no overflow for the magnitudes here). */
function twoProduct(a: number, b: number): number {
  const p = a * b;
  let t = SPLIT * a;
  const ah = t - (t - a);
  const al = a - ah;
  t = SPLIT * b;
  const bh = t - (t - b);
  const bl = b - bh;
  productError = ah * bh - p + ah * bl + al * bh + al * bl;
  return p;
}

// A double's bits, to read its exponent (the machine's byte order is found, not assumed).
const scratch = new Float64Array(1);
const words = new Uint32Array(scratch.buffer);
const HIGH = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * (head * 10^tailDigits + tail) / 10^scale, correctly rounded, for a decimal mantissa of 16 to 19
 * digits (head: its first 15, tail: the other 1-4, both exact; the mantissa is above 2^53, so not
 * itself a double) and scale 1..22; NaN when it cannot be sure, and the caller asks Number(). The
 * mantissa is held exactly as a2 + r, a guess x is refined once, then kept only when the exact
 * remainder m - x * 10^scale (Dekker's product, Sterbenz's subtraction: one rounding in all) is
 * clearly below half an ulp of x times 10^scale: then x is the nearest double, as JSON.parse
 * reads it. Ties, powers of two and anything close go to Number(). json-bytes.spec.ts checks it.
 */
function longDecimal(head: number, tail: number, tailDigits: number, scale: number): number {
  const power = POW10[scale]!;
  const a = twoProduct(head, POW10[tailDigits]!);
  const a2 = a + tail;
  const r = tail - (a2 - a) + productError; // small integers: exact
  let x = a2 / power;
  let p = twoProduct(x, power);
  x += (a2 - p + r - productError) / power;
  p = twoProduct(x, power);
  const remainder = a2 - p + r - productError;
  scratch[0] = x;
  const high = words[HIGH]!;
  if ((high & 0xfffff) === 0 && words[LOW] === 0) return Number.NaN;
  // ulp(x) = 2^(exponent - 1075): a double with biased exponent (exponent - 52) and no fraction.
  words[HIGH] = (((high >>> 20) & 0x7ff) - 52) << 20;
  words[LOW] = 0;
  const halfUlpTimesPower = scratch[0] * 0.5 * power;
  return Math.abs(remainder) < halfUlpTimesPower * (1 - 2 ** -30) ? x : Number.NaN;
}

const isDigit = (c: number | undefined): boolean => (c as number) >= ZERO && (c as number) <= NINE;

/**
 * A JSON number (the strict grammar: no leading zeros, no bare dot, no `+`) into lastRead.number.
 * Short decimals are read as mantissa / 10^scale: both exact doubles, so the one division rounds
 * correctly, as JSON.parse does; decimals of 16-19 digits by longDecimal; the rest, and what
 * longDecimal cannot decide, go through Number() of the same characters.
 */
export function readNumber(b: Buffer, i: number): number {
  const start = i;
  let c = b[i];
  const negative = c === MINUS;
  if (negative) c = b[++i];
  let mantissa = 0;
  let scale = 0;
  // The mantissa's first 15 digits and the rest, both exact, for longDecimal.
  let head = 0;
  let tail = 0;
  let digits = 0;
  if (c === ZERO) c = b[++i];
  else if (isDigit(c)) {
    do {
      const d = (c as number) - ZERO;
      mantissa = mantissa * 10 + d;
      if (digits < 15) head = head * 10 + d;
      else tail = tail * 10 + d;
      digits++;
      c = b[++i];
    } while (isDigit(c));
  } else return -1;
  if (c === DOT) {
    c = b[++i];
    if (!isDigit(c)) return -1;
    do {
      const d = (c as number) - ZERO;
      mantissa = mantissa * 10 + d;
      if (digits < 15) head = head * 10 + d;
      else tail = tail * 10 + d;
      digits++;
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
  if (!exponent && scale <= 22) {
    const value = mantissa <= Number.MAX_SAFE_INTEGER ? mantissa / POW10[scale]! : digits <= 19 && scale > 0 ? longDecimal(head, tail, digits - 15, scale) : Number.NaN;
    if (!Number.isNaN(value)) {
      lastRead.number = negative ? -value : value;
      return i;
    }
  }
  lastRead.number = Number(asciiText(b, start, i));
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
