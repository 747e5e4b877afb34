import os from 'node:os';

export interface BenchRow {
  name: string;
  value: number | string | null;
  unit: string;
  target?: string;
  met?: boolean;
  note?: string;
}

export function machineDescription(): Record<string, string | number> {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    os: `${os.type()} ${os.release()}`,
    loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}

export function markdownReport(rows: BenchRow[], machine: Record<string, string | number>, date: string, command: string): string {
  const lines = [
    '# Benchmarks',
    '',
    `Measured ${date} with \`${command}\` on: ${Object.entries(machine).map(([k, v]) => `${k} ${v}`).join(', ')}.`,
    'One run; the machine is shared and noisy, so compare ratios within a run rather than absolute numbers across runs.',
    '',
    '| measure | value | unit | target | met |',
    '|---|---:|---|---|---|',
    ...rows.map((r) => `| ${r.name} | ${r.value ?? '-'} | ${r.unit} | ${r.target ?? ''} | ${r.met === undefined ? '' : r.met ? 'yes' : '**no**'} |`),
  ];
  const notes = rows.filter((r) => r.note);
  if (notes.length) lines.push('', '## Notes', '', ...notes.map((r) => `- **${r.name}**: ${r.note}`));
  return lines.join('\n') + '\n';
}
