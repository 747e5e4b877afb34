import { verifyApprovalToken, type ApprovalClaims } from './approval-token';
import type { BreakerState } from './breaker-state';

export type ApprovalCheck =
  | { ok: true; claims: ApprovalClaims }
  | { ok: false; status: 401 | 403; reason: 'malformed' | 'bad-signature' | 'expired' | 'spent' | 'not-offered' | 'not-open' };

/**
 * Whether an approval token may resume ingestion now: a forged or malformed token is 401; an
 * expired one, one already used or superseded, or one for an episode that is not waiting is 403.
 * The entity re-checks atomically when the approval arrives, so a race cannot use a token twice.
 */
export function checkApproval(token: string | null | undefined, state: BreakerState, key: string, now: number): ApprovalCheck {
  if (!token) return { ok: false, status: 401, reason: 'malformed' };
  const verified = verifyApprovalToken(token, key, now);
  if (!verified.ok) return { ok: false, status: verified.reason === 'expired' ? 403 : 401, reason: verified.reason };
  const { claims } = verified;
  if (state.spentNonces.includes(claims.nonce)) return { ok: false, status: 403, reason: 'spent' };
  if (state.status !== 'open') return { ok: false, status: 403, reason: 'not-open' };
  if (!state.approval || state.approval.nonce !== claims.nonce || state.approval.instanceId !== claims.instanceId) {
    return { ok: false, status: 403, reason: 'not-offered' };
  }
  return { ok: true, claims };
}
