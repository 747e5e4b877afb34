import { randomBytes } from 'node:crypto';

/** Azure's AuthorizationLevel order: a system key ranks above function keys, the master key above all. */
export type AuthLevel = 'anonymous' | 'function' | 'system' | 'admin';

/**
 * Local stand-ins for the host's keys: a master key (admin), a default host function key, and the
 * Durable extension's system key (`durabletask_extension`), the only key besides the master key that
 * opens `/runtime/webhooks/durabletask` ("systemKey ... specifically grants access to the Durable Task
 * extension APIs", Durable Functions HTTP API reference). It travels only inside the management URLs
 * the app's client hands out, so a function key (such as the dashboard's) cannot drive orchestrations.
 */
export interface HostKeys {
  readonly masterKey: string;
  readonly functionKey: string;
  readonly durableSystemKey: string;
  /**
   * Function-scoped keys, function name -> key: each opens its own function-level function and
   * nothing else, as a key under `Microsoft.Web/sites/functions/keys` does in Azure (a host key,
   * `sites/host/functionKeys`, opens every function-level function of the app).
   */
  readonly functionKeys: Readonly<Record<string, string>>;
}

export const generateKey = (): string => randomBytes(30).toString('base64url');

export function createHostKeys(options: { masterKey?: string; functionKey?: string; durableSystemKey?: string; functionKeys?: Record<string, string> }): HostKeys {
  // Function names are case-insensitive in the Functions host.
  const functionKeys = Object.fromEntries(Object.entries(options.functionKeys ?? {}).filter(([, key]) => key).map(([name, key]) => [name.toLowerCase(), key]));
  return Object.freeze({
    masterKey: options.masterKey || generateKey(),
    functionKey: options.functionKey || generateKey(),
    durableSystemKey: options.durableSystemKey || generateKey(),
    functionKeys: Object.freeze(functionKeys),
  });
}

/** The key a request presents: header `x-functions-key` wins over query `code`. */
export function presentedKey(headerKey: string | undefined, queryCode: string | null): string | undefined {
  return headerKey ?? queryCode ?? undefined;
}

/** Whether a key is the function-scoped key of this very function (it opens no other). */
export function opensFunction(keys: HostKeys, key: string | undefined, functionName: string): boolean {
  const own = keys.functionKeys[functionName.toLowerCase()];
  return own !== undefined && key !== undefined && key === own;
}

/** The level a request's key grants: header `x-functions-key` wins over query `code`. */
export function grantedLevel(keys: HostKeys, headerKey: string | undefined, queryCode: string | null): AuthLevel {
  const key = presentedKey(headerKey, queryCode);
  if (key === keys.masterKey) return 'admin';
  if (key === keys.durableSystemKey) return 'system';
  if (key === keys.functionKey) return 'function';
  return 'anonymous';
}

const RANK: Record<AuthLevel, number> = { anonymous: 0, function: 1, system: 2, admin: 3 };

export function isAuthorized(required: AuthLevel, granted: AuthLevel): boolean {
  // Least authority: the Durable system key opens the extension's webhooks and anonymous routes,
  // not function- or admin-level functions.
  if (granted === 'system') return required === 'anonymous' || required === 'system';
  return RANK[granted] >= RANK[required];
}
