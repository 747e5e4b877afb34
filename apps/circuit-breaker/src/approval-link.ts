import { signApprovalToken } from '@telemetry/breaker-rules';
import type { BreakerServices } from './services';

/** The resume link for an offered approval: `${PUBLIC_BASE_URL}/api/breaker/approve?token=...`. */
export function approvalLink(services: BreakerServices, claims: { instanceId: string; episode: number; nonce: string; expiresAt: string }): string {
  const token = signApprovalToken(
    { instanceId: claims.instanceId, episode: claims.episode, nonce: claims.nonce, exp: Date.parse(claims.expiresAt) },
    services.settings.APPROVAL_SIGNING_KEY,
  );
  return `${baseUrl(services)}/api/breaker/approve?token=${encodeURIComponent(token)}`;
}

/** The breaker's approval page: no credential in it (the operator brings their link, or signs in). */
export function approvalPageLink(services: BreakerServices): string {
  return `${baseUrl(services)}/api/breaker/approve`;
}

export function statusLink(services: BreakerServices): string {
  return `${baseUrl(services)}/api/breaker`;
}

const baseUrl = (services: BreakerServices): string => services.settings.PUBLIC_BASE_URL.replace(/\/+$/, '');
