import { isUtf8 } from 'node:buffer';
import { PipelineError } from '@telemetry/core';

const BOM = 0xfeff;

/**
 * Strict UTF-8 (what a fatal TextDecoder accepts: no overlongs, surrogates or bytes past U+10FFFF),
 * with one leading BOM dropped as TextDecoder does. Native validation + toString is several times
 * cheaper than TextDecoder per ~300-byte event; utf8-text.spec.ts checks they agree.
 */
export function utf8Text(bytes: Uint8Array): string {
  if (!isUtf8(bytes)) throw new PipelineError('EVENT_ENCODING', 'body is not valid UTF-8');
  const text = (Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)).toString('utf8');
  return text.charCodeAt(0) === BOM ? text.slice(1) : text;
}
