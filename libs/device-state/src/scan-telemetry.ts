import * as ascii from './ascii-text';
import * as instant from './canonical-instant';
import * as plainObjects from './plain-objects';
import type { DecodedTelemetry } from './decode-telemetry';
import { IOT_HUB_DEVICE_ID_PATTERN } from './device-id';
import { epochMillis } from './epoch-millis';
import * as json from './json-bytes';
import type { Health, Position, Telemetry } from './telemetry';
import { TIMESTAMP_PATTERN } from './telemetry-fast-path';

// Bound once: loaders that compile imports to getters (tsx, esbuild's CommonJS output) otherwise
// call a getter per use, which showed as the largest single cost of the scan in a profile.
const { lastRead, readBoolean, readNumber, readPlainString, skipPrimitive, skipSpace, spells } = json;
const { canonicalInstantMillis } = instant;
const { asciiText, recurringAsciiText } = ascii;
const { PlainDecoded, PlainHealth, PlainPosition, PlainTelemetry } = plainObjects;

const QUOTE = 34;
const COMMA = 44;
const COLON = 58;
const LBRACE = 123;
const RBRACE = 125;
const DOT = 46;
const END = -2;

/** The body rule's alphabet, DEVICE_ID_PATTERN's character class: [A-Za-z0-9._:-]. */
const ID_CHAR = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-') ID_CHAR[c.charCodeAt(0)] = 1;

/** On a key's opening quote: the start of its value (past the key, the colon and whitespace), or -1. */
function valueOf(b: Uint8Array, i: number): number {
  i = readPlainString(b, i);
  if (i < 0) return -1;
  i = skipSpace(b, i);
  return b[i] === COLON ? skipSpace(b, i + 1) : -1;
}

/** After a member's value: the next key's opening quote after a comma, END at the closing brace, -1 otherwise. */
function nextMember(b: Uint8Array, i: number): number {
  if (i < 0) return -1;
  i = skipSpace(b, i);
  if (b[i] === RBRACE) return END;
  return b[i] === COMMA ? skipSpace(b, i + 1) : -1;
}

/** Past the closing brace of the object position() or health() read last. */
let objectEnd = 0;

function position(b: Buffer, i: number): Position | undefined {
  if (b[i] !== LBRACE) return undefined;
  let latitude = Number.NaN;
  let longitude = Number.NaN;
  let altitude = Number.NaN;
  let seen = 0;
  for (i = skipSpace(b, i + 1); i !== END; ) {
    const key = i + 1;
    i = valueOf(b, i);
    if (i < 0) return undefined;
    let bit = 0;
    if (b[key] === 108 && spells(b, key, 'latitude')) {
      bit = 1;
      i = readNumber(b, i);
      latitude = lastRead.number;
    } else if (b[key] === 108 && spells(b, key, 'longitude')) {
      bit = 2;
      i = readNumber(b, i);
      longitude = lastRead.number;
    } else if (b[key] === 97 && spells(b, key, 'altitude')) {
      bit = 4;
      i = readNumber(b, i);
      altitude = lastRead.number;
    } else i = skipPrimitive(b, i);
    if (seen & bit) return undefined;
    seen |= bit;
    objectEnd = i;
    i = nextMember(b, i);
    if (i === -1) return undefined;
  }
  // All three keys, in positionSchema's ranges (NaN fails them).
  if (seen !== 7 || !(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180 && altitude >= -500 && altitude <= 20_000)) return undefined;
  objectEnd = skipSpace(b, objectEnd) + 1;
  return new PlainPosition(latitude, longitude, altitude);
}

function health(b: Buffer, i: number): Health | undefined {
  if (b[i] !== LBRACE) return undefined;
  let gyrometerOK = false;
  let accelerometerOK = false;
  let magnetometerOK = false;
  let seen = 0;
  for (i = skipSpace(b, i + 1); i !== END; ) {
    const key = i + 1;
    i = valueOf(b, i);
    if (i < 0) return undefined;
    let bit = 0;
    if (spells(b, key, 'gyrometerOK')) {
      bit = 1;
      i = readBoolean(b, i);
      gyrometerOK = lastRead.boolean;
    } else if (spells(b, key, 'accelerometerOK')) {
      bit = 2;
      i = readBoolean(b, i);
      accelerometerOK = lastRead.boolean;
    } else if (spells(b, key, 'magnetometerOK')) {
      bit = 4;
      i = readBoolean(b, i);
      magnetometerOK = lastRead.boolean;
    } else i = skipPrimitive(b, i);
    if (seen & bit) return undefined;
    seen |= bit;
    objectEnd = i;
    i = nextMember(b, i);
    if (i === -1) return undefined;
  }
  if (seen !== 7) return undefined;
  objectEnd = skipSpace(b, objectEnd) + 1;
  return new PlainHealth(gyrometerOK, accelerometerOK, magnetometerOK);
}

/** Past the body's deviceId string when it follows the body rule (DEVICE_ID_PATTERN: 1-64 of the alphabet, no trailing dot); -1 otherwise. */
function bodyDeviceIdEnd(b: Uint8Array, i: number): number {
  if (b[i] !== QUOTE) return -1;
  const start = i + 1;
  for (i = start; ID_CHAR[b[i]!] === 1; i++);
  if (b[i] !== QUOTE || i === start || i - start > 64 || b[i - 1] === DOT) return -1;
  return i + 1;
}

const F_DEVICE = 1;
const F_TIME = 2;
const F_KEYFRAME = 4;
const F_BATTERY = 8;
const F_MODE = 16;
const F_POSITION = 32;
const F_HEALTH = 64;

/** The field (its F_ bit) the key whose first character is at `k` names; 0 for any other key. */
function fieldAt(b: Uint8Array, k: number): number {
  switch (b[k]) {
    case 100:
      return spells(b, k, 'deviceId') ? F_DEVICE : 0;
    case 116:
      return spells(b, k, 'timestamp') ? F_TIME : 0;
    case 107:
      return spells(b, k, 'keyFrame') ? F_KEYFRAME : 0;
    case 98:
      return spells(b, k, 'battery') ? F_BATTERY : 0;
    case 102:
      return spells(b, k, 'flightMode') ? F_MODE : 0;
    case 112:
      return spells(b, k, 'position') ? F_POSITION : 0;
    case 104:
      return spells(b, k, 'health') ? F_HEALTH : 0;
    default:
      return 0;
  }
}

/**
 * decodeTelemetry's result for a body in the plain JSON devices write, read from its UTF-8 bytes
 * in one pass: no string of the whole body, no JSON.parse, no parsed tree, no schema. Undefined for
 * anything it does not read (escapes, bytes past ASCII, duplicate keys, unknown fields holding
 * objects or arrays, every invalid value...): the caller then decodes the body the reference way
 * (strict UTF-8, JSON.parse, the schema), which also words every error. When it answers, the answer
 * is the reference way's, key order included (shape order, unknown keys stripped):
 * scan-telemetry.spec.ts checks that on random valid and invalid bodies. With
 * `authenticatedDeviceId` (IoT Hub mode) a body deviceId, when present, must spell that id.
 */
export function scanTelemetry(b: Buffer, authenticatedDeviceId?: string): DecodedTelemetry | undefined {
  if (authenticatedDeviceId !== undefined && !IOT_HUB_DEVICE_ID_PATTERN.test(authenticatedDeviceId)) return undefined;
  let i = skipSpace(b, 0);
  if (b[i] !== LBRACE) return undefined;
  let deviceId = authenticatedDeviceId;
  let timeStart = 0;
  let timeEnd = -1;
  let keyFrame = false;
  let battery = Number.NaN;
  let flightMode = Number.NaN;
  let where: Position | undefined;
  let status: Health | undefined;
  let seen = 0;
  let end = 0;
  for (i = skipSpace(b, i + 1); i !== END; ) {
    const key = i + 1;
    i = valueOf(b, i);
    if (i < 0) return undefined;
    const bit = fieldAt(b, key);
    switch (bit) {
      case F_DEVICE:
        if (authenticatedDeviceId === undefined) {
          const idEnd = bodyDeviceIdEnd(b, i);
          if (idEnd > 0) deviceId = recurringAsciiText(b, i + 1, idEnd - 1);
          i = idEnd;
          // IoT Hub mode: the same id or nothing; a spoof or a non-string is the reference way's to word.
        } else i = b[i] === QUOTE && spells(b, i + 1, authenticatedDeviceId) ? i + authenticatedDeviceId.length + 2 : -1;
        break;
      case F_TIME:
        timeStart = i + 1;
        i = readPlainString(b, i);
        timeEnd = i - 1;
        break;
      case F_KEYFRAME:
        i = readBoolean(b, i);
        keyFrame = lastRead.boolean;
        break;
      case F_BATTERY:
        i = readNumber(b, i);
        battery = lastRead.number;
        break;
      case F_MODE:
        i = readNumber(b, i);
        flightMode = lastRead.number;
        break;
      case F_POSITION:
        where = position(b, i);
        i = where ? objectEnd : -1;
        break;
      case F_HEALTH:
        status = health(b, i);
        i = status ? objectEnd : -1;
        break;
      default:
        i = skipPrimitive(b, i);
    }
    if (seen & bit) return undefined;
    seen |= bit;
    end = i;
    i = nextMember(b, i);
    if (i === -1) return undefined;
  }
  // Nothing but whitespace after the object; deviceId and timestamp present.
  if (skipSpace(b, skipSpace(b, end) + 1) !== b.length || deviceId === undefined || !(seen & F_TIME)) return undefined;
  let time = canonicalInstantMillis(b, timeStart, timeEnd);
  const timestamp = asciiText(b, timeStart, timeEnd);
  if (Number.isNaN(time)) time = TIMESTAMP_PATTERN.test(timestamp) ? epochMillis(timestamp) : Number.NaN;
  if (!Number.isFinite(time)) return undefined;
  const telemetry: Telemetry = new PlainTelemetry(deviceId, timestamp);
  if (seen & F_KEYFRAME) telemetry.keyFrame = keyFrame;
  if (seen & F_BATTERY) {
    if (!(battery >= 0 && battery <= 1)) return undefined;
    telemetry.battery = battery;
  }
  if (seen & F_MODE) {
    if (!(flightMode >= 0 && flightMode <= 7 && Number.isInteger(flightMode))) return undefined;
    telemetry.flightMode = flightMode;
  }
  if (where) telemetry.position = where;
  if (status) telemetry.health = status;
  return new PlainDecoded(telemetry, time);
}
