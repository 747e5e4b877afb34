import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { intOption, secondsOption } from '@telemetry/local-services';
import { DEFAULT_REPORTS_DIR, WORKSPACE_ROOT } from '@telemetry/local-stack';
import { formatMatrixMarkdown, formatMatrixTable, fromJson, toJson, type MatrixDocument, type MatrixRunInfo } from './report';
import type { MatrixStack } from './matrix-stack';
import { FULL_SOAK } from './fault-scenario';
import { runMatrix } from './run-matrix';
import { SCENARIOS } from './scenarios';
import { mergeWindowConflict, windowOption } from './window-option';

const program = new Command()
  .name('npm run test:faults --')
  .description('Injects each fault of the matrix under load on the local stack and audits every event: lost must be 0 everywhere.')
  .option('--size <n>', 'events per scenario', intOption('--size', 100, 100_000_000), 100_000)
  .option('--outage <seconds>', 'length of each outage', secondsOption('--outage', 3600), 30)
  .option('--only <ids>', `comma-separated scenarios (${SCENARIOS.map((s) => s.id).join(', ')})`)
  .option('--seed <n>', 'seed', intOption('--seed', 0, 2 ** 31 - 1), 1)
  .option('--window <seconds>', 'ingestion window (s) every scenario runs with: ingestion\'s app settings gain INGESTION_WINDOW_SECONDS (0 = none; README "Ingestion window"); the report names it', windowOption, 0)
  .option('--soak-minutes <n>', 'length of the soak; its RSS slope and p99 limits are asserted from 10 minutes on', (v) => secondsOption('--soak-minutes', 24 * 60)(v), FULL_SOAK.seconds / 60)
  .option('--soak-rate <n>', 'events/s during the soak', intOption('--soak-rate', 1, 1_000_000), FULL_SOAK.eventsPerSecond)
  .option('--data <dir>', 'data folder', path.join(WORKSPACE_ROOT, '.local', 'fault-matrix'))
  .option('--out <dir>', 'write fault-matrix.json and fault-matrix.md here (`--out docs` publishes them)', DEFAULT_REPORTS_DIR)
  .option('--no-write', 'do not write the report files')
  .option('--merge', 'replace only the scenarios run in the existing report files (e.g. after --only)')
  .option('--verbose', 'echo service and host logs');

async function main(): Promise<void> {
  const o = program.parse().opts<{ size: number; outage: number; only?: string; seed: number; window: number; soakMinutes: number; soakRate: number; data: string; out: string; write: boolean; merge?: boolean; verbose?: boolean }>();
  const only = o.only?.split(',').map((s) => s.trim());
  const scenarios = only ? SCENARIOS.filter((s) => only.includes(s.id)) : SCENARIOS;
  const unknown = (only ?? []).filter((id) => !SCENARIOS.some((s) => s.id === id));
  if (unknown.length > 0) program.error(`error: --only: unknown scenario(s) ${unknown.join(', ')}; the scenarios are ${SCENARIOS.map((s) => s.id).join(', ')}`);
  const jsonFile = path.join(o.out, 'fault-matrix.json');
  if (o.write && o.merge) {
    // Checked before anything runs: one report holds the rows of one ingestion window.
    const previous = await readFile(jsonFile, 'utf8').then((text) => JSON.parse(text) as MatrixDocument, () => undefined);
    const conflict = previous && mergeWindowConflict(previous, o.window);
    if (conflict) program.error(`error: ${conflict}`);
  }
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
    scenarios, size: o.size, outageMs: o.outage * 1000, dataDir, windowSeconds: o.window,
    soak: { seconds: Math.round(o.soakMinutes * 60), eventsPerSecond: o.soakRate, assertTrends: o.soakMinutes >= 10 }, seed: o.seed, echo: Boolean(o.verbose),
    log: (m) => console.log(`${t()}  ${m}`),
  });
  console.log(`\n${o.window ? `ingestion window ${o.window} s\n` : ''}${formatMatrixTable(results)}\n`);
  for (const r of results.filter((x) => !x.passed)) console.log(`${r.id} FAILED: ${r.failures.join('; ')}`);
  const info: MatrixRunInfo = {
    size: o.size, outageSeconds: o.outage, windowSeconds: o.window, startedAt, finishedAt: new Date().toISOString(),
    loadAverage: { start: loadStart, end: os.loadavg()[0]! }, cpus: os.cpus().length, node: process.version,
  };
  if (o.write) {
    await mkdir(o.out, { recursive: true });
    let rows = results;
    let doc: MatrixDocument = { ...info, results: [] };
    if (o.merge) {
      const previous = JSON.parse(await readFile(jsonFile, 'utf8')) as MatrixDocument;
      const fresh = new Map(results.map((r) => [r.id, r]));
      const old = previous.results.map(fromJson).filter((r) => !fresh.has(r.id));
      rows = [...old, ...results].sort((a, b) => SCENARIOS.findIndex((s) => s.id === a.id) - SCENARIOS.findIndex((s) => s.id === b.id));
      doc = { ...previous, reruns: [...(previous.reruns ?? []), { ids: results.map((r) => r.id), ...info }] };
    }
    doc.results = rows.map(toJson);
    await writeFile(jsonFile, JSON.stringify(doc, null, 2) + '\n');
    await writeFile(path.join(o.out, 'fault-matrix.md'), formatMatrixMarkdown(rows, doc, doc.reruns) + '\n');
    console.log(`written ${path.relative(process.cwd(), path.join(o.out, 'fault-matrix.md'))} and fault-matrix.json`);
  }
  process.exitCode = results.every((r) => r.passed) ? 0 : 1;
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : error);
  process.exit(2);
});
