/**
 * Cosmos continuation tokens are opaque JSON strings; the API hands them out base64url-encoded so
 * they travel in a URL unescaped, and takes them back unchanged. Never parsed, never trusted:
 * Cosmos rejects a forged one with 400, which the API reports as an invalid parameter.
 */
export function encodeContinuation(token: string): string {
  return Buffer.from(token, 'utf8').toString('base64url');
}

/** undefined when the text is not base64url of UTF-8. */
export function decodeContinuation(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const token = Buffer.from(text, 'base64url').toString('utf8');
  // Canonical form only: what this API encoded decodes and re-encodes to the same text.
  return token.length > 0 && encodeContinuation(token) === text ? token : undefined;
}
