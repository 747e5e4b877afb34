/** Where a rewind moves the ingestion checkpoint to (`npm run checkpoints -- rewind --to <target>`). */
export type RewindTarget =
  | { kind: 'time'; at: Date }
  | { kind: 'sequence'; sequenceNumber: number }
  | { kind: 'earliest' }
  | { kind: 'latest' };

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `earliest`, `latest`, a sequence number (`1200`: ingestion resumes with that event), a
 * duration ago (`90s`, `30m`, `1h`, `2d`, `1h30m`) or an ISO 8601 time with a zone. Throws with
 * the accepted forms on anything else.
 */
export function parseRewindTarget(text: string, now: Date = new Date()): RewindTarget {
  const t = text.trim();
  if (t === 'earliest' || t === 'latest') return { kind: t };
  if (/^\d+$/.test(t)) return { kind: 'sequence', sequenceNumber: Number(t) };
  if (/^(\d+[smhd])+$/.test(t)) {
    const ms = [...t.matchAll(/(\d+)([smhd])/g)].reduce((sum, [, n, unit]) => sum + Number(n) * UNIT_MS[unit!]!, 0);
    return { kind: 'time', at: new Date(now.getTime() - ms) };
  }
  if (/^\d{4}-\d{2}-\d{2}T[\d:.]+(Z|[+-]\d{2}:?\d{2})$/.test(t) && !Number.isNaN(Date.parse(t))) return { kind: 'time', at: new Date(t) };
  throw new Error(`rewind target '${text}': use an ISO time with a zone (2026-12-01T06:00:00Z), a duration ago (30m, 1h), a sequence number, 'earliest' or 'latest'`);
}
