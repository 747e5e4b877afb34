/**
 * Device ids as IoT Hub allows them: case-sensitive, 1 to 128 characters of ASCII 7-bit
 * alphanumerics plus `- : . + % _ # * ? ! ( ) , = @ ; $ '` (IoT Hub's identity registry; the
 * same sentence in every IoT Hub event schema, e.g. learn.microsoft.com/javascript/api/@azure/eventgrid/devicelifecycleevent).
 * In IoT Hub identity mode the authenticated id is checked against this, not the body rule.
 */
export const IOT_HUB_DEVICE_ID_PATTERN = /^[A-Za-z0-9\-:.+%_#*?!(),=@;$']{1,128}$/;
export const IOT_HUB_DEVICE_ID_RULE = "deviceId must be 1-128 chars of [A-Za-z0-9] and - : . + % _ # * ? ! ( ) , = @ ; $ '";

/**
 * Characters a document id keeps as they are: exactly the body rule's alphabet (DEVICE_ID_PATTERN),
 * so every id that body mode accepts is its own document id and existing documents stay addressable.
 * Everything else is written `~XX` (hex of each UTF-8 byte, upper case). `~` itself is never kept,
 * so decoding is unambiguous: the mapping is injective (no two ids share a document) and reversible.
 */
const KEPT = /[A-Za-z0-9._:-]/;
/** Ids made only of kept characters, not ending with `.`: their own document id. */
const KEPT_ID = /^[A-Za-z0-9._:-]*[A-Za-z0-9_:-]$/;
const ESCAPE = '~';
const hex = (byte: number): string => byte.toString(16).toUpperCase().padStart(2, '0');

/**
 * The Cosmos DB document id of a device. Cosmos forbids `/ \ ? #` in ids and ids travel in REST
 * paths, so only URL-unreserved characters are produced; a trailing `.` is escaped too (dot
 * segments and trimmed trailing dots: see DEVICE_ID_PATTERN in telemetry.ts). An IoT Hub id of
 * 128 characters maps to at most 384, far below Cosmos' 1,023-byte limit.
 */
export function documentIdOf(deviceId: string): string {
  // Every body-mode id (and most IoT Hub ids): itself, without the per-byte walk.
  if (KEPT_ID.test(deviceId)) return deviceId;
  let out = '';
  const bytes = Buffer.from(deviceId, 'utf8');
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i]!;
    const char = String.fromCharCode(byte);
    const last = i === bytes.length - 1;
    out += byte < 0x80 && KEPT.test(char) && !(last && char === '.') ? char : ESCAPE + hex(byte);
  }
  return out;
}

/**
 * The device id a document id stands for, or undefined when the string is not a document id this
 * mapping produces (lower-case hex, a kept character escaped, a bare `~`, a trailing `.`...):
 * `deviceIdOfDocument(documentIdOf(id)) === id` for every id, and `documentIdOf` of the result
 * gives the input back whenever the result is defined.
 */
export function deviceIdOfDocument(documentId: string): string | undefined {
  const bytes: number[] = [];
  for (let i = 0; i < documentId.length; i++) {
    const char = documentId[i]!;
    if (char === ESCAPE) {
      const pair = documentId.slice(i + 1, i + 3);
      if (!/^[0-9A-F]{2}$/.test(pair)) return undefined;
      bytes.push(parseInt(pair, 16));
      i += 2;
    } else if (KEPT.test(char)) {
      bytes.push(char.charCodeAt(0));
    } else {
      return undefined;
    }
  }
  const id = Buffer.from(bytes).toString('utf8');
  // Canonical form only: one document id per device (rejects `~61` for `a`, invalid UTF-8...).
  return documentIdOf(id) === documentId ? id : undefined;
}
