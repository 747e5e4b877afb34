import { formatNotice, noticeCounts, type BreakerNotice } from './breaker-notice';

/** A breaker notice as an e-mail: the same facts as the webhook text, plus the resume link as a button. */
export interface NoticeEmail {
  subject: string;
  /** Plain text (every mail client shows it; the link is on a line of its own). */
  text: string;
  html: string;
}

const escape = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

/**
 * The operator e-mail for a notice: subject = the notice title with the episode; body = reason,
 * failure counts, target and, when offered, the signed single-use resume link and its expiry.
 * Opening the link only shows a confirmation page (mail scanners and previews follow links).
 */
export function formatNoticeEmail(notice: BreakerNotice): NoticeEmail {
  const { title } = formatNotice(notice);
  const facts: [string, string][] = [
    ['Reason', notice.reason],
    ['Failures', noticeCounts(notice)],
    ['Target', notice.target],
    ['At', notice.at],
  ];
  if (notice.switch) {
    const { target, attempts, lastError, nextAttemptAt } = notice.switch;
    facts.push(['Switch', `ingestion should be ${target}; ${attempts} failed ${attempts === 1 ? 'try' : 'tries'}${lastError ? ` (last: ${lastError})` : ''}${nextAttemptAt ? `; next try ${nextAttemptAt}` : ''}`]);
  }
  const subject = `[telemetry breaker] ${title} (episode ${notice.episode})`;
  const lines = [title, '', ...facts.map(([k, v]) => `${k}: ${v}`)];
  if (notice.approveUrl) {
    lines.push('', `Resume ingestion (single use, expires ${notice.expiresAt ?? 'soon'}); the link opens a confirmation page:`, notice.approveUrl);
  }
  if (notice.statusUrl) lines.push('', `Status: ${notice.statusUrl}`);

  const rows = facts.map(([k, v]) => `<tr><th align="left" style="padding-right:1em">${escape(k)}</th><td>${escape(v)}</td></tr>`).join('');
  const resume = notice.approveUrl
    ? `<p><a href="${escape(notice.approveUrl)}" style="display:inline-block;padding:.6em 1.2em;background:#0b5cad;color:#fff;text-decoration:none;border-radius:4px">Resume ingestion</a></p>` +
      `<p><small>Single use, expires ${escape(notice.expiresAt ?? 'soon')}. The link opens a confirmation page; nothing happens until you confirm there.</small></p>`
    : '';
  const status = notice.statusUrl ? `<p><small>Status: ${escape(notice.statusUrl)}</small></p>` : '';
  const html = `<!doctype html><html><body style="font-family:sans-serif"><h2>${escape(title)}</h2><p>Episode ${notice.episode}</p><table>${rows}</table>${resume}${status}</body></html>`;
  return { subject, text: lines.join('\n'), html };
}
