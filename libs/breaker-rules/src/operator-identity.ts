/**
 * Who is approving: an operator signed in by App Service Authentication, or nobody we can vouch
 * for. The platform sets the `x-ms-client-principal*` headers on the requests it forwards and
 * strips the same headers sent by a client — but only when it is on. With it off (locally, or a
 * deployment without `authsettingsV2`) anyone can send them, so they are read only when the app's
 * environment says the platform is on (`WEBSITE_AUTH_ENABLED=True`, which App Service sets
 * itself), and only when the four headers agree with each other.
 * Docs: https://learn.microsoft.com/azure/app-service/configure-authentication-user-identities
 */
export interface HeaderSource {
  get(name: string): string | null;
}

export interface OperatorIdentityOptions {
  /** `WEBSITE_AUTH_ENABLED` as App Service sets it ("True" when authentication is on). */
  platformAuthEnabled: boolean;
  /** `BREAKER_OPERATORS`: object ids (users or groups) allowed to approve without a link. */
  allowedOperators: readonly string[];
  /** The identity provider the platform is configured with (Entra ID: `aad`). */
  identityProvider?: string;
}

export type OperatorIdentity =
  | { kind: 'platform'; name: string; id: string; idp: string; onAllowList: boolean }
  | { kind: 'unauthenticated'; reason: 'platform-auth-off' | 'no-principal' | 'inconsistent-principal' };

/**
 * Entra ID's object id claim as the platform maps it in `x-ms-client-principal`, and the subject:
 * `x-ms-client-principal-id` carries one of them.
 */
const OBJECT_ID_CLAIMS = ['http://schemas.microsoft.com/identity/claims/objectidentifier', 'oid'];
const ID_CLAIMS = [...OBJECT_ID_CLAIMS, 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier', 'sub'];
const GROUP_CLAIMS = ['groups', 'http://schemas.microsoft.com/ws/2008/06/identity/claims/groups'];

interface ClientPrincipal {
  auth_typ?: unknown;
  name_typ?: unknown;
  claims?: Array<{ typ?: unknown; val?: unknown }>;
}

/** `WEBSITE_AUTH_ENABLED` is "True" on App Service when authentication is on; anything else is off. */
export function platformAuthEnabled(setting: string | undefined): boolean {
  return setting?.trim().toLowerCase() === 'true';
}

/** `BREAKER_OPERATORS`: comma- or space-separated object ids, compared case-insensitively. */
export function parseOperatorList(setting: string | undefined): string[] {
  return (setting ?? '').split(/[\s,;]+/).map((s) => s.trim().toLowerCase()).filter(Boolean);
}

export function operatorIdentity(headers: HeaderSource, options: OperatorIdentityOptions): OperatorIdentity {
  if (!options.platformAuthEnabled) return { kind: 'unauthenticated', reason: 'platform-auth-off' };
  const encoded = headers.get('x-ms-client-principal');
  const name = headers.get('x-ms-client-principal-name');
  const id = headers.get('x-ms-client-principal-id');
  const idp = headers.get('x-ms-client-principal-idp');
  if (!encoded && !name && !id) return { kind: 'unauthenticated', reason: 'no-principal' };
  const principal = decodePrincipal(encoded);
  if (!principal || !name || !id || !idp) return { kind: 'unauthenticated', reason: 'inconsistent-principal' };
  const claims = (principal.claims ?? []).filter((c): c is { typ: string; val: string } => typeof c.typ === 'string' && typeof c.val === 'string');
  const claim = (types: readonly string[]) => claims.filter((c) => types.includes(c.typ)).map((c) => c.val);
  // The platform takes the name from the token's name-like claims (preferred_username, upn, name,
  // depending on the token version): it must be one of the principal's claim values, and the id
  // its object id or subject.
  const consistent =
    principal.auth_typ === idp &&
    (options.identityProvider === undefined || idp === options.identityProvider) &&
    claims.some((c) => c.val === name) &&
    claim(ID_CLAIMS).some((v) => v.toLowerCase() === id.toLowerCase());
  if (!consistent) return { kind: 'unauthenticated', reason: 'inconsistent-principal' };
  const memberOf = [id, ...claim(OBJECT_ID_CLAIMS), ...claim(GROUP_CLAIMS)].map((v) => v.toLowerCase());
  const onAllowList = memberOf.some((v) => options.allowedOperators.includes(v));
  return { kind: 'platform', name: name.slice(0, 120), id, idp, onAllowList };
}

/**
 * How the approver is recorded in the breaker's history: the platform's name for a signed-in
 * operator; otherwise what the person typed, marked as unauthenticated (the link was the only
 * credential, so the name is a claim, not an identity).
 */
export function approverLabel(identity: OperatorIdentity, typedName: string | undefined): string {
  if (identity.kind === 'platform') return `${identity.name} (${identity.idp})`;
  const typed = typedName?.replace(/[\u0000-\u001f\u007f]/g, '').trim().slice(0, 80);
  return typed ? `${typed} (unauthenticated)` : 'approval link (unauthenticated)';
}

function decodePrincipal(encoded: string | null): ClientPrincipal | undefined {
  if (!encoded) return undefined;
  try {
    const parsed = JSON.parse(Buffer.from(encoded, 'base64').toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as ClientPrincipal) : undefined;
  } catch {
    return undefined;
  }
}
