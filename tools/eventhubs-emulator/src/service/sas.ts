import { createHmac, timingSafeEqual } from 'node:crypto';

export type SasCheck = { ok: true } | { ok: false; reason: 'malformed' | 'unknown-key-name' | 'bad-signature' | 'expired' };

/**
 * Checks a `SharedAccessSignature sr=..&sig=..&se=..&skn=..` token the way the service does:
 * HMAC-SHA256 with the key (as its UTF-8 string, like the SDK signs) over
 * `<url-encoded sr>\n<se>`, and `se` (seconds since epoch) not in the past.
 */
export function checkSasToken(token: string, key: { keyName: string; key: string }, nowMs = Date.now()): SasCheck {
  const prefix = 'SharedAccessSignature ';
  if (!token.startsWith(prefix)) return { ok: false, reason: 'malformed' };
  const fields = new Map<string, string>();
  for (const part of token.slice(prefix.length).split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const sr = fields.get('sr');
  const sig = fields.get('sig');
  const se = fields.get('se');
  const skn = fields.get('skn');
  if (!sr || !sig || !se || !skn || !/^\d+$/.test(se)) return { ok: false, reason: 'malformed' };
  if (decodeURIComponent(skn) !== key.keyName) return { ok: false, reason: 'unknown-key-name' };
  const expected = createHmac('sha256', key.key).update(`${sr}\n${se}`).digest();
  let given: Buffer;
  try {
    given = Buffer.from(decodeURIComponent(sig), 'base64');
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  if (Number(se) * 1000 < nowMs) return { ok: false, reason: 'expired' };
  return { ok: true };
}
