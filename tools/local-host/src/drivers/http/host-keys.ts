import { randomBytes } from 'node:crypto';

export type AuthLevel = 'anonymous' | 'function' | 'admin';

/** Local stand-ins for the host's keys: a master key (admin) and a default host function key. */
export interface HostKeys {
  readonly masterKey: string;
  readonly functionKey: string;
}

export const generateKey = (): string => randomBytes(30).toString('base64url');

export function createHostKeys(options: { masterKey?: string; functionKey?: string }): HostKeys {
  return Object.freeze({ masterKey: options.masterKey || generateKey(), functionKey: options.functionKey || generateKey() });
}

/** The level a request's key grants: header `x-functions-key` wins over query `code`. */
export function grantedLevel(keys: HostKeys, headerKey: string | undefined, queryCode: string | null): AuthLevel {
  const key = headerKey ?? queryCode ?? undefined;
  if (key === keys.masterKey) return 'admin';
  if (key === keys.functionKey) return 'function';
  return 'anonymous';
}

const RANK: Record<AuthLevel, number> = { anonymous: 0, function: 1, admin: 2 };

export function isAuthorized(required: AuthLevel, granted: AuthLevel): boolean {
  return RANK[granted] >= RANK[required];
}
