/**
 * Cosmos continuation tokens are opaque JSON strings; the API hands them out base64url-encoded so
 * they travel in a URL unescaped, and takes them back unchanged. Never parsed, never trusted:
 * Cosmos rejects a forged one with 400, which the API reports as an invalid parameter.
 */
export function encodeContinuation(token: string): string {
  return Buffer.from(token, 'utf8').toString('base64url');
}

/**
 * Cosmos tokens are JSON in printable ASCII, and they travel back to Cosmos in the
 * `x-ms-continuation` header: a control or non-ASCII character could not be sent at all (the
 * HTTP client throws before any request, which once surfaced as a 503), so it is refused here.
 */
const TOKEN_TEXT = /^[\x20-\x7e]+$/;

/** undefined when the text is not base64url of a token Cosmos could have issued (printable ASCII). */
export function decodeContinuation(text: string): string | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(text)) return undefined;
  const token = Buffer.from(text, 'base64url').toString('utf8');
  if (!TOKEN_TEXT.test(token)) return undefined;
  // Canonical form only: what this API encoded decodes and re-encodes to the same text.
  return encodeContinuation(token) === text ? token : undefined;
}
