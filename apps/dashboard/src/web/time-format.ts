/**
 * The dashboard's one time convention: 24-hour UTC, `HH:MM:SS UTC`, with the ISO date in front
 * (`YYYY-MM-DD HH:MM:SS UTC`) when the moment is not on the same UTC day as `now`. Every time on
 * the page (header, panels, chart axis) comes from here, so a wall of screens in different time
 * zones reads the same clock as the pipeline's own timestamps.
 */
export const UTC_TIME_PATTERN = /(?:\d{4}-\d{2}-\d{2} )?\d{2}:\d{2}:\d{2} UTC/;

/** `t`: ms since epoch, an ISO string or a Date; `now` decides whether the date is shown. '—' when absent or unparseable. */
export function formatUtc(t: number | string | Date | null | undefined, now: number = Date.now()): string {
  if (t === null || t === undefined) return '—';
  const ms = typeof t === 'number' ? t : typeof t === 'string' ? Date.parse(t) : t.getTime();
  if (!Number.isFinite(ms)) return '—';
  const iso = new Date(ms).toISOString();
  const day = iso.slice(0, 10);
  const clock = `${iso.slice(11, 19)} UTC`;
  return Number.isFinite(now) && new Date(now).toISOString().slice(0, 10) === day ? clock : `${day} ${clock}`;
}
