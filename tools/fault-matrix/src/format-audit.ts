import type { AuditReport } from './audit';

/** The audit as text: the accounting, then every lost event (up to maxLost). */
export function formatAudit(r: AuditReport, maxLost: number): string {
  const rows: [string, string | number][] = [
    ['events sent', `${r.sent} (${r.distinct} distinct bodies)`],
    ['applied', r.applied],
    ['superseded by a newer event', r.superseded],
    ['dead-lettered (queued)', `${r.deadLettered} ${JSON.stringify(r.queuedByCode)}`],
    ['parked', `${r.parked} ${JSON.stringify(r.parkedByCode)}`],
    ['lost', r.lost],
    ['devices', `${r.devicesOfRunStored} of this run's stored / ${r.devicesExpected} expected (${r.devicesStored} documents in the container)`],
    ['devices not matching the model', r.devicesMismatched.length ? `${r.devicesMismatched.length}: ${r.devicesMismatched.slice(0, 20).join(', ')}` : 0],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`);
  if (r.lostEvents.length) {
    lines.push('', `lost events (${r.lostEvents.length}${r.lostEvents.length > maxLost ? `, first ${maxLost}` : ''}):`);
    for (const e of r.lostEvents.slice(0, maxLost)) {
      lines.push(`  #${e.index} ${e.deviceId} ${e.kind}${e.expectedCode ? ` expected ${e.expectedCode}` : ''}${e.duplicateOf !== undefined ? ` duplicate of #${e.duplicateOf}` : ''} sha256 ${e.sha256}`);
    }
  }
  lines.push('', r.ok ? 'AUDIT PASSED: every event is applied, superseded, dead-lettered or parked' : 'AUDIT FAILED');
  return lines.join('\n');
}
