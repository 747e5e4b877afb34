import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { WORKSPACE_ROOT } from '@telemetry/local-stack';
import { formatMatrixMarkdown, formatMatrixTable, type MatrixRunInfo } from './report';
import type { MatrixStack } from './matrix-stack';
import { runMatrix } from './run-matrix';
import { SCENARIOS } from './scenarios';

const program = new Command()
  .name('npm run test:faults --')
  .description('Injects each fault of the matrix under load on the local stack and audits every event: lost must be 0 everywhere.')
  .option('--size <n>', 'events per scenario', (v) => parseInt(v, 10), 100_000)
  .option('--outage <seconds>', 'length of each outage', parseFloat, 30)
  .option('--only <ids>', `comma-separated scenarios (${SCENARIOS.map((s) => s.id).join(', ')})`)
  .option('--seed <n>', 'seed', (v) => parseInt(v, 10), 1)
  .option('--data <dir>', 'data folder', path.join(WORKSPACE_ROOT, '.local', 'fault-matrix'))
  .option('--out <dir>', 'write fault-matrix.json and fault-matrix.md here', path.join(WORKSPACE_ROOT, 'docs'))
  .option('--no-write', 'do not write the docs files')
  .option('--verbose', 'echo service and host logs');

async function main(): Promise<void> {
  const o = program.parse().opts<{ size: number; outage: number; only?: string; seed: number; data: string; out: string; write: boolean; verbose?: boolean }>();
  const only = o.only?.split(',').map((s) => s.trim());
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;
  if (only && scenarios.length !== only.length) throw new Error(`unknown scenario in --only ${o.only}`);
  const dataDir = path.resolve(o.data, new Date().toISOString().replace(/[:.]/g, '-'));
  const startedAt = new Date().toISOString();
  const loadStart = os.loadavg()[0]!;
  const t = (): string => `${((Date.now() - Date.parse(startedAt)) / 1000).toFixed(0).padStart(5)} s`;
  let running: MatrixStack | undefined;
  const interrupt = (code: number) => async (): Promise<void> => {
    console.log('stopping the stack...');
    await running?.stop().catch(() => undefined);
    process.exit(code);
  };
  process.once('SIGINT', () => void interrupt(130)());
  process.once('SIGTERM', () => void interrupt(143)());
  const results = await runMatrix({
    onStack: (m) => (running = m),
    scenarios, size: o.size, outageMs: o.outage * 1000, dataDir, seed: o.seed, echo: Boolean(o.verbose),
    log: (m) => console.log(`${t()}  ${m}`),
  });
  console.log(`\n${formatMatrixTable(results)}\n`);
  for (const r of results.filter((x) => !x.passed)) console.log(`${r.id} FAILED: ${r.failures.join('; ')}`);
  const info: MatrixRunInfo = {
    size: o.size, outageSeconds: o.outage, startedAt, finishedAt: new Date().toISOString(),
    loadAverage: { start: loadStart, end: os.loadavg()[0]! }, cpus: os.cpus().length, node: process.version,
  };
  if (o.write) {
    await mkdir(o.out, { recursive: true });
    await writeFile(path.join(o.out, 'fault-matrix.json'), JSON.stringify({ ...info, results: results.map(({ audit, ...r }) => ({ ...r, lostEvents: audit.lostEvents.slice(0, 100), parkedByCode: audit.parkedByCode, mismatchedDevices: audit.devicesMismatched.slice(0, 100) })) }, null, 2) + '\n');
    await writeFile(path.join(o.out, 'fault-matrix.md'), formatMatrixMarkdown(results, info) + '\n');
    console.log(`written ${path.relative(process.cwd(), path.join(o.out, 'fault-matrix.md'))} and fault-matrix.json`);
  }
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(2);
});
