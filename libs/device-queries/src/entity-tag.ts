/**
 * HTTP entity tags for device documents. Cosmos `_etag` values are already quoted in Azure
 * (`"00000000-..."`) but not on the local server: both map to one quoted strong tag.
 */
export function entityTag(cosmosEtag: string): string {
  return cosmosEtag.startsWith('"') ? cosmosEtag : `"${cosmosEtag}"`;
}

/** The tags in an If-None-Match header (`*`, or a list; weak tags compare as strong for GET). */
export function parseIfNoneMatch(header: string | null | undefined): string[] {
  if (!header) return [];
  return header
    .split(',')
    .map((t) => t.trim().replace(/^W\//, ''))
    .filter((t) => t.length > 0);
}

export function matchesAny(tag: string, candidates: readonly string[]): boolean {
  return candidates.some((c) => c === '*' || c === tag);
}
