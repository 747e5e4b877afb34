import type { HttpResponseInit } from '@azure/functions';
import type { BreakerState } from '@telemetry/breaker-rules';

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const page = (title: string, body: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>${escape(title)}</title></head>` +
  `<body style="font-family:sans-serif;max-width:40em;margin:2em auto">${body}</body></html>`;

const headers = { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' };

/** GET: what will happen, and a form that POSTs to the same URL (token kept in the query). */
export function confirmPage(state: BreakerState, episode: number): HttpResponseInit {
  const trip = state.trip;
  const body =
    `<h1>Resume telemetry ingestion?</h1><p>Episode ${episode}: ingestion was paused at ${escape(trip?.at ?? '?')} ` +
    `(${escape(trip?.reason ?? 'unknown reason')}).</p><p>Resuming continues from the last Event Hubs checkpoint; ` +
    `make sure the cause is fixed.</p><form method="post"><label>Your name <input name="name" maxlength="80"></label> ` +
    `<button type="submit">Resume ingestion</button></form>`;
  return { status: 200, headers, body: page('Resume ingestion?', body) };
}

export function resultPage(status: number, title: string, text: string): HttpResponseInit {
  return { status, headers, body: page(title, `<h1>${escape(title)}</h1><p>${escape(text)}</p>`) };
}
