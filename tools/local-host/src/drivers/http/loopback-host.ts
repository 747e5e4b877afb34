import type { IncomingMessage } from 'node:http';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** App setting: extra host names (comma-separated) a host answers to, e.g. a forwarded port's name. */
export const ALLOWED_HOSTS_SETTING = 'LOCAL_HOST_ALLOWED_HOSTS';

/**
 * True when the request's `Host` names a loopback name (any port: SSH tunnels forward to other
 * ports) or one of `extraNames`, or is absent (HTTP/1.0). A web page in the developer's browser can
 * reach 127.0.0.1 through DNS rebinding, but its requests then carry the attacker's host name:
 * refused, as Azure's front end routes by host name and answers 404 for a name that is not the site's.
 */
export function isAllowedHost(req: IncomingMessage, extraNames: readonly string[] = []): boolean {
  const host = req.headers.host;
  if (host === undefined || host === '') return true;
  const match = /^(\[[^\]]+\]|[^:]+)(?::\d+)?$/.exec(host.trim().toLowerCase());
  if (!match) return false;
  const name = match[1] ?? '';
  return LOOPBACK_NAMES.includes(name) || extraNames.some((allowed) => allowed.toLowerCase() === name);
}

/** Parses LOCAL_HOST_ALLOWED_HOSTS: `a.example, b.example` (names only, no ports). */
export function parseAllowedHosts(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
}
