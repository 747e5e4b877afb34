import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RpcHttpData, RpcInvocationResponse, RpcTypedData } from '../../core/core-types';

/** The RpcHttpData the host sends the worker for an incoming request. */
export function toRpcHttpRequest(req: IncomingMessage, url: URL, params: Record<string, string>, body: Buffer): RpcHttpData {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  const query: Record<string, string> = {};
  for (const [name, value] of url.searchParams) query[name] = value;
  return { method: req.method ?? 'GET', url: url.toString(), headers, query, params, body: { bytes: body } };
}

/** Finds the http output (the `$return` binding or a named http output). */
export function httpOutputOf(response: RpcInvocationResponse | undefined): RpcHttpData | undefined {
  if (response?.returnValue?.http) return response.returnValue.http;
  return response?.outputData?.find((o) => o.data?.http)?.data?.http ?? undefined;
}

function bodyBytes(body: RpcTypedData | null | undefined): Buffer {
  if (!body) return Buffer.alloc(0);
  if (body.bytes) return Buffer.from(body.bytes);
  if (typeof body.string === 'string') return Buffer.from(body.string);
  if (typeof body.json === 'string') return Buffer.from(body.json);
  return Buffer.alloc(0);
}

interface RpcCookie {
  name?: string | null;
  value?: string | null;
  path?: { value?: string | null } | null;
  domain?: { value?: string | null } | null;
  httpOnly?: { value?: boolean | null } | null;
  secure?: { value?: boolean | null } | null;
  maxAge?: { value?: number | null } | null;
  sameSite?: string | null;
}

function toSetCookie(cookie: RpcCookie): string {
  const parts = [`${cookie.name}=${cookie.value ?? ''}`];
  if (cookie.path?.value) parts.push(`Path=${cookie.path.value}`);
  if (cookie.domain?.value) parts.push(`Domain=${cookie.domain.value}`);
  if (typeof cookie.maxAge?.value === 'number') parts.push(`Max-Age=${cookie.maxAge.value}`);
  if (cookie.secure?.value) parts.push('Secure');
  if (cookie.httpOnly?.value) parts.push('HttpOnly');
  const sameSite = { lax: 'Lax', strict: 'Strict', explicitNone: 'None' }[cookie.sameSite ?? ''];
  if (sameSite) parts.push(`SameSite=${sameSite}`);
  return parts.join('; ');
}

/** Writes the worker's RpcHttpData response; no output means 200 with an empty body. */
export function writeRpcHttpResponse(res: ServerResponse, http: RpcHttpData | undefined): void {
  if (!http) {
    res.writeHead(200, { 'content-length': '0' }).end();
    return;
  }
  const body = bodyBytes(http.body);
  const headers: Record<string, string | string[]> = { ...(http.headers ?? {}) };
  const cookies = (http.cookies ?? []) as RpcCookie[];
  if (cookies.length) headers['set-cookie'] = cookies.map(toSetCookie);
  headers['content-length'] = String(body.length);
  res.writeHead(Number(http.statusCode ?? 200) || 200, headers).end(body);
}
