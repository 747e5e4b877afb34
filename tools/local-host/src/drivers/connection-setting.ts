import type { AppSettings } from '../config/app-settings';
import { LocalHostError } from '../errors';

/**
 * Resolves a binding's `connection` as the host does: the named setting holds a connection
 * string (locally). Identity-based `<name>__fullyQualifiedNamespace` / `__serviceUri` settings
 * need Azure AD and are not supported here.
 */
export function connectionString(settings: AppSettings, connection: string | undefined, fallback: string, usedBy: string): string {
  const name = connection || fallback;
  const value = settings.get(name) ?? settings.get(`ConnectionStrings:${name}`);
  if (value) return value;
  const identityBased = settings.entries().some(([key]) => key.startsWith(`${name}__`));
  const hint = identityBased ? ' (identity-based connections are not supported by the local host; use a connection string)' : '';
  throw new LocalHostError('SETTING_MISSING', `connection setting "${name}" (used by ${usedBy}) is not set${hint}`, 'config');
}
