import type { ScenarioResult } from './run-matrix';

const COLUMNS: [string, (r: ScenarioResult) => string | number][] = [
  ['scenario', (r) => r.id],
  ['sent', (r) => r.sent],
  ['applied', (r) => r.applied],
  ['superseded', (r) => r.superseded],
  ['dead-lettered', (r) => r.deadLettered],
  ['parked', (r) => r.parked],
  ['lost', (r) => r.lost],
  ['duplicates absorbed', (r) => r.duplicatesAbsorbed],
  // Rows from before the delivery journal (merged from older runs) have no exact figure.
  ['redelivered', (r) => (r.deliveries ? r.redelivered : '-')],
  ['letters written', (r) => Object.values(r.deadLettersWritten).reduce((a, b) => a + b, 0)],
  ['reprocessed', (r) => r.reprocessor['applied'] ?? 0],
  ['seconds', (r) => r.seconds.toFixed(1)],
  ['result', (r) => (r.passed ? 'pass' : 'FAIL')],
];

/** The matrix as a fixed-width text table (the CLI prints it). */
export function formatMatrixTable(results: ScenarioResult[]): string {
  const rows = [COLUMNS.map(([h]) => h), ...results.map((r) => COLUMNS.map(([, f]) => String(f(r))))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

export interface MatrixRunInfo {
  size: number;
  outageSeconds: number;
  /** The ingestion window every scenario ran with (s; `--window`). Absent in reports from before the option: 0, none. */
  windowSeconds?: number;
  startedAt: string;
  finishedAt: string;
  /** 1-minute load average at the start and the end (the machine is shared). */
  loadAverage: { start: number; end: number };
  cpus: number;
  node: string;
}

/** docs/fault-matrix.json: the run and its rows (audits trimmed to 100 lost events / mismatched devices). */
export interface MatrixDocument extends MatrixRunInfo {
  results: unknown[];
  /** Scenarios re-run later and merged in (`--only ... --merge`). */
  reruns?: (MatrixRunInfo & { ids: string[] })[];
}

export const toJson = (r: ScenarioResult): unknown => ({
  ...r,
  audit: { ...r.audit, lostEvents: r.audit.lostEvents.slice(0, 100), devicesMismatched: r.audit.devicesMismatched.slice(0, 100) },
});

/** Reads a row back (older files kept parkedByCode and lostEvents beside the row). */
export function fromJson(row: unknown): ScenarioResult {
  const r = row as ScenarioResult & { parkedByCode?: Record<string, number>; lostEvents?: ScenarioResult['audit']['lostEvents']; mismatchedDevices?: string[] };
  return r.audit ? r : { ...r, audit: { parkedByCode: r.parkedByCode ?? {}, lostEvents: r.lostEvents ?? [], devicesMismatched: r.mismatchedDevices ?? [] } as unknown as ScenarioResult['audit'] };
}

/** The matrix as a markdown document (docs/fault-matrix.md). */
export function formatMatrixMarkdown(results: ScenarioResult[], info: MatrixRunInfo, reruns: MatrixDocument['reruns'] = []): string {
  const header = `| ${COLUMNS.map(([h]) => h).join(' | ')} |\n|${COLUMNS.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`;
  const rows = results.map((r) => `| ${COLUMNS.map(([, f]) => String(f(r))).join(' | ')} |`);
  const details = results.map((r) => [
    `### ${r.id}: ${r.title}`,
    '',
    `- sent ${r.sent} (${r.distinct} distinct bodies); applied ${r.applied}, superseded ${r.superseded}, dead-lettered (still queued) ${r.deadLettered}, parked ${r.parked} ${JSON.stringify(r.audit.parkedByCode)}, lost ${r.lost}; devices not matching the model: ${r.devicesMismatched}`,
    `- deliveries to the ingestion function ${String(r.facts['delivered'] ?? r.deliveries?.deliveries ?? '-')}; duplicates absorbed ${r.duplicatesAbsorbed} (of which redelivered ${r.redelivered})`,
    ...(r.deliveries ? [`- delivery journal: ${r.deliveries.invocations} invocations (${r.deliveries.retries} retries, ${r.deliveries.failedInvocations} threw, ${r.deliveries.unfinishedInvocations} cut short by a kill), ${r.deliveries.distinctEvents} distinct events (partition, sequence number), ${r.deliveries.redeliveredEvents} of them delivered more than once; ${r.deliveries.partitionOpens} partition opens, ${r.deliveries.receiveErrors} receive errors`] : []),
    `- dead letters written by ingestion ${JSON.stringify(r.deadLettersWritten)}; reprocessor outcomes ${JSON.stringify(r.reprocessor)}`,
    `- facts: ${JSON.stringify(Object.fromEntries(Object.entries(r.facts).filter(([k]) => k !== 'delivered')))}`,
    ...(r.failures.length ? [`- **failures**: ${r.failures.join('; ')}`] : []),
    '',
  ].join('\n'));
  return [
    info.windowSeconds ? `# Fault matrix (ingestion window ${info.windowSeconds} s)` : '# Fault matrix',
    '',
    `\`npm run test:faults\` (tools/fault-matrix). Run ${info.startedAt} .. ${info.finishedAt}: ${info.size} events per scenario, outages of ${info.outageSeconds} s,`,
    ...(info.windowSeconds ? [`every scenario with the **ingestion window at ${info.windowSeconds} s** (\`--window ${info.windowSeconds}\`: ingestion's \`INGESTION_WINDOW_SECONDS\`; README "Ingestion window"),`] : []),
    `${info.cpus} CPUs shared with other work (load average ${info.loadAverage.start.toFixed(2)} at the start, ${info.loadAverage.end.toFixed(2)} at the end), Node ${info.node}.`,
    ...reruns.map((x) => `Re-run and merged: ${x.ids.join(', ')} on ${x.startedAt} (${x.size} events, ${x.outageSeconds} s outages, load average ${x.loadAverage.start.toFixed(2)} .. ${x.loadAverage.end.toFixed(2)}).`),
    '',
    header,
    ...rows,
    '',
    'Columns: **applied** = the device document holds the event\'s value (or its time); **superseded** = every field it carried was overtaken by a newer event of the same device;',
    '**dead-lettered** = its dead letter still waits in the dead-letter queue or `-poison` queue after the drain (must be 0: the reprocessor empties them);',
    '**parked** = the reprocessor parked its dead letter with the reason (bad input); **lost** = none of these (must be 0);',
    '**duplicates absorbed** = deliveries to the ingestion function minus distinct bodies sent: simulator duplicates plus redeliveries, all folded idempotently;',
    '**redelivered** = deliveries minus distinct events (partition, sequence number): replays after a kill, rebalance, restart or retry.',
    'Both are exact: a delivery is one invocation whose batch held the event, counted over every host instance from the local host\'s delivery journal',
    '(`LOCAL_HOST_DELIVERY_LOG_DIR`: each invocation\'s partition and sequence numbers, written before the function runs, so a batch cut short by SIGKILL counts too);',
    'rows showing redelivered `-` come from runs before the journal: their duplicates absorbed counted completed deliveries only (a lower bound);',
    '**letters written** = dead letters ingestion wrote (its metrics), **reprocessed** = letters the reprocessor applied to Cosmos.',
    'Every scenario also checks each device document against an independent model of the merge rule.',
    '',
    '## Scenarios',
    '',
    ...details,
  ].join('\n');
}
