/** A resource URI reduced to what the service compares: host (with port) and path segments, lower case. */
export interface ResourcePath {
  host: string;
  segments: string[];
}

/**
 * Parses `sb://host[:port]/a/b`, `amqps://..`, `https://..` or a scheme-less `host/a/b` (the service
 * ignores the scheme: Microsoft's own samples sign `https://<ns>.servicebus.windows.net/<hub>` and use
 * the token over AMQP). Names are case-insensitive on the service; empty segments are dropped.
 */
export function parseResource(uri: string): ResourcePath {
  const withoutScheme = uri.trim().replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const [host = '', ...rest] = withoutScheme.split('/');
  return { host: host.toLowerCase(), segments: rest.filter(Boolean).map((s) => s.toLowerCase()) };
}

/**
 * True when a token for `resource` (its `sr`) is valid for `target`. The service's rule: a SAS
 * token is valid for the resource URI it was signed for and every resource below it (Service Bus
 * access control with Shared Access Signatures, "resource URI"). Compared by whole path segments, so
 * a token for hub `tele` does not cover hub `telemetry`; and for the same host.
 */
export function resourceCovers(resource: ResourcePath, target: ResourcePath): boolean {
  if (resource.host !== target.host) return false;
  if (resource.segments.length > target.segments.length) return false;
  return resource.segments.every((segment, i) => segment === target.segments[i]);
}

/** Entity path segments (lower case) of a link address or management target, e.g. `hub/Partitions/0`. */
export function entitySegments(path: string): string[] {
  return path.split('/').filter(Boolean).map((s) => s.toLowerCase());
}

/** True when one of the granted entity paths (segments) is a prefix of `segments`, with `right` when one is named. */
export function grantCovers(grants: Iterable<{ path: readonly string[]; rights: readonly string[] }>, segments: readonly string[], right?: string): boolean {
  for (const { path, rights } of grants) {
    if (right !== undefined && !rights.includes(right)) continue;
    if (path.length <= segments.length && path.every((segment, i) => segment === segments[i])) return true;
  }
  return false;
}
