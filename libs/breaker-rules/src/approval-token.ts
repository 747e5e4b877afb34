import { createHmac, timingSafeEqual } from 'node:crypto';

/** What an approval link carries. Signed, so it cannot be forged; single use through its nonce. */
export interface ApprovalClaims {
  /** The episode's orchestration instance that waits for the approval. */
  instanceId: string;
  episode: number;
  nonce: string;
  /** Expiry, epoch ms. */
  exp: number;
}

export type TokenCheck =
  | { ok: true; claims: ApprovalClaims }
  | { ok: false; reason: 'malformed' | 'bad-signature' | 'expired' };

const VERSION = 'v1';
/** HMAC-SHA256 needs a key with at least this many characters (APPROVAL_SIGNING_KEY). */
export const MIN_SIGNING_KEY_LENGTH = 32;

const b64url = (data: Buffer | string): string => Buffer.from(data).toString('base64url');
const mac = (key: string, payload: string): Buffer => createHmac('sha256', key).update(`${VERSION}.${payload}`).digest();

/** `v1.<base64url(JSON claims)>.<base64url(HMAC-SHA256(key, "v1.<payload>"))>`: URL-safe as is. */
export function signApprovalToken(claims: ApprovalClaims, key: string): string {
  if (key.length < MIN_SIGNING_KEY_LENGTH) throw new Error('approval signing key too short');
  const payload = b64url(JSON.stringify(claims));
  return `${VERSION}.${payload}.${b64url(mac(key, payload))}`;
}

/**
 * Checks the signature (constant time) and the expiry. Single use is checked by the caller against
 * the breaker's state (the nonce must be the one currently offered and not spent).
 */
export function verifyApprovalToken(token: string, key: string, now: number): TokenCheck {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION || !parts[1] || !parts[2]) return { ok: false, reason: 'malformed' };
  const [, payload, signature] = parts as [string, string, string];
  const expected = mac(key, payload);
  const given = Buffer.from(signature, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature' };
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed' };
  }
  if (!isClaims(claims)) return { ok: false, reason: 'malformed' };
  if (now >= claims.exp) return { ok: false, reason: 'expired' };
  return { ok: true, claims };
}

function isClaims(value: unknown): value is ApprovalClaims {
  const c = value as Partial<ApprovalClaims> | null;
  return typeof c === 'object' && c !== null && typeof c.instanceId === 'string' && typeof c.nonce === 'string'
    && typeof c.episode === 'number' && typeof c.exp === 'number' && Number.isFinite(c.exp);
}
