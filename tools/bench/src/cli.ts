import os from 'node:os';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { benchEmulator } from '@telemetry/eventhubs-emulator';
import { buildApps, DEFAULT_REPORTS_DIR } from '@telemetry/local-stack';
import { benchCosmosRawUpserts } from './cosmos-raw';
import { benchBacklogDrain, benchReferenceProfile, benchThroughput, type BacklogResult, type ReferenceProfileResult } from './end-to-end';
import { benchPackages } from './packages';
import { benchPurePath } from './pure-path';
import { benchReferencePattern } from './reference-pattern';
import { machineDescription, markdownReport, type BenchRow } from './report';
import { latencyNote, windowRows } from './window-rows';
import { parseIngestionWindow } from '@telemetry/contracts';

const program = new Command()
  .name('npm run bench --')
  .description('Measure the function app packages, the pure path, the Event Hubs emulator, the end-to-end pipeline, backlog drain and the reference profile.')
  .option('--only <list>', 'comma-separated: packages,pure,emulator,cosmos,e2e,reference,window,pattern,backlog')
  .option('--full', 'full sizes (backlog of 1,000,000 events); default is a quicker run')
  .option('--windows <list>', 'ingestion windows (s) of the window curve, on the reference profile', '0,1,2,4.5,5,10')
  .option('--backlog-window <seconds>', 'also drain the backlog with this ingestion window (0 = only without)', '4.5')
  .option('--window-partitions <n>', 'Event Hubs partitions for the window curve (Standard tier allows up to 32)', '32')
  .option('--out <dir>', 'where benchmarks.json and benchmarks.md go (`--out docs` publishes them)', DEFAULT_REPORTS_DIR);

/** A backlog drain's rows (time, writes per event, RSS) and its ratio to the raw receive rate; `label` names the run. */
function backlogRows(r: BacklogResult, events: number, label: { drain: string; rss: string; drained?: string }, emulatorReceive: number | undefined): { rows: BenchRow[]; ratio?: BenchRow } {
  const cpu = r.drainCpuSeconds;
  const cpuNote = cpu['total'] ? `; stack CPU ${Math.round((cpu['total'] * 1e6) / events)} us/event (${Object.entries(cpu).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v} s`).join(', ')})` : '';
  const rows: BenchRow[] = [
    { name: `${label.drain}: ${events} events`, value: r.drainSeconds, unit: 's', note: `${r.drainEventsPerSecond} events/s${r.eventsPerInvocation ? `; ${r.eventsPerInvocation} events/invocation` : ''}${cpuNote}${label.drained ?? ''}` },
    { name: `${label.drain}: store writes per event`, value: r.storeWritesPerEvent, unit: 'writes/event', target: '<= 0.1', met: r.storeWritesPerEvent <= 0.1 },
    { name: `host RSS while draining the backlog${label.rss}`, value: r.hostPeakRssMb, unit: 'MB', target: '< 300', met: r.hostPeakRssMb !== null && r.hostPeakRssMb < 300 },
  ];
  if (!emulatorReceive) return { rows };
  const ratio = Math.round((r.drainEventsPerSecond / emulatorReceive) * 100) / 100;
  return { rows, ratio: { name: `${label.drain} / emulator raw receive rate (same run)`, value: ratio, unit: 'x', target: '>= 0.7', met: ratio >= 0.7, note: `${r.drainEventsPerSecond} / ${emulatorReceive} events/s` } };
}

async function main(): Promise<void> {
  const o = program.parse().opts();
  const only = o.only ? new Set(String(o.only).split(',')) : undefined;
  const want = (name: string): boolean => !only || only.has(name);
  const machine = machineDescription();
  const rows: BenchRow[] = [];
  const results: Record<string, unknown> = {};
  const log = (msg: string): void => console.error(`[bench] ${msg}`);

  if (want('packages')) {
    log('function app packages (deploy folder size without maps; cold start to ready for the first event, median of 5 fresh processes)...');
    const r = await benchPackages({ runs: 5 });
    results['packages'] = r;
    for (const p of r) {
      const mb = Math.round((p.bytes / 1e6) * 100) / 100;
      rows.push({ name: `package size: ${p.app}`, value: mb, unit: 'MB (dist/apps, unzipped, no maps)', target: '<= 2.5', met: mb <= 2.5 });
      rows.push({
        name: `package load time: ${p.app}`,
        value: p.loadMsMedian,
        unit: 'ms wall (fresh process, as the Functions worker: require main.js with functions-core, capabilities, appStart with Azure settings; inflated by the machine load)',
        note: `runs: ${p.loadMsRuns.join(', ')} ms; load average ${os.loadavg()[0]!.toFixed(1)}`,
      });
      // The issue's 150 ms target is held against the CPU figure: the work of the cold start until the
      // app could take its first event (load, registration, appStart building every client an
      // ordinary event uses), which a loaded shared machine inflates much less than wall time.
      // What only a rare path uses (ingestion: dead letters, failure counts) loads on first use and
      // is not in it; the note says how much of the package was loaded.
      rows.push({
        name: `package load CPU: ${p.app}`,
        value: p.loadCpuMsMedian,
        unit: 'ms CPU (same cold start; no compile cache: a fresh Azure instance has none)',
        ...(p.app === 'ingestion' ? { target: '<= 150', met: p.loadCpuMsMedian <= 150 } : {}),
        note: `runs: ${p.loadCpuMsRuns.join(', ')} ms; loaded ${(p.loadedBytes / 1e6).toFixed(2)} MB in ${p.loadedFiles.length} of ${p.jsFiles.length} .js files; ${p.functions.length} functions registered`,
      });
    }
  }
  if (want('pure')) {
    log('pure path (decode + validate + coalesce, one core)...');
    const r = benchPurePath({ events: 1_000_000, devices: 1000, batchSize: 1000 });
    results['purePath'] = r;
    rows.push({ name: 'pure path: decode + validate + coalesce', value: r.eventsPerSecond, unit: 'events/CPU-second', target: '>= 250,000', met: r.eventsPerSecond >= 250_000, note: `rounds (pure/bare): ${r.rounds.map((x) => `${x.pure}/${x.bare}`).join(', ')}` });
    rows.push({ name: 'pure path baseline: bare UTF-8 decode + JSON.parse, same buffers', value: r.bareParseEventsPerSecond, unit: 'events/CPU-second' });
    rows.push({ name: 'pure path / bare decode + JSON.parse (same run)', value: r.ratio, unit: 'x (median of rounds)', target: '>= 0.7', met: r.ratio >= 0.7 });
  }
  if (want('emulator')) {
    log('Event Hubs emulator send/receive (1 KB events, batched, real SDK)...');
    const r = await benchEmulator({ events: 100_000, eventBytes: 1024 });
    results['emulator'] = r;
    rows.push({ name: 'emulator send (1 KB, batched)', value: r.sendEventsPerSec, unit: 'events/s', target: '>= 20,000', met: r.sendEventsPerSec >= 20_000 });
    rows.push({ name: 'emulator receive (1 KB)', value: r.receiveEventsPerSec, unit: 'events/s', target: '>= 20,000', met: r.receiveEventsPerSec >= 20_000 });
  }
  let rawUpserts: number | undefined;
  if (want('cosmos') || want('e2e')) {
    log('Cosmos server raw per-event upserts (concurrency 32)...');
    const r = await benchCosmosRawUpserts({ events: 10_000, devices: 1000, concurrency: 32 });
    rawUpserts = r.upsertsPerSecond;
    results['cosmosRaw'] = r;
    rows.push({ name: 'Cosmos server raw upserts, one per event', value: r.upsertsPerSecond, unit: 'upserts/s', note: 'the naive design (one write per event) is bounded by this rate' });
  }
  if (want('e2e') || want('reference') || want('window') || want('pattern') || want('backlog')) {
    log('building apps...');
    await buildApps(['ingestion']);
  }
  if (want('e2e')) {
    log('end to end throughput (60,000 events, 1,000 devices, sent at once)...');
    const r = await benchThroughput({ events: 60_000, devices: 1000 });
    results['endToEnd'] = r;
    rows.push({ name: 'end to end throughput', value: r.eventsPerSecond, unit: 'events/s', target: '>= 3,000', met: r.eventsPerSecond >= 3000, note: `reconciled: ${r.reconciled}; ${r.storeWritesPerEvent} store writes/event` });
    if (rawUpserts) {
      const ratio = Math.round((r.eventsPerSecond / rawUpserts) * 100) / 100;
      rows.push({ name: 'end to end / raw upsert rate', value: ratio, unit: 'x', target: '>= 1.5', met: ratio >= 1.5 });
    }
  }
  let reference: ReferenceProfileResult | undefined;
  if (want('reference')) {
    log('reference profile (1,000 drones x 1 event/s for 30 s)...');
    const r = await benchReferenceProfile({ devices: 1000, seconds: 30 });
    reference = r;
    results['referenceProfile'] = r;
    const stored = r.storeLatency;
    rows.push({ name: 'latency p50 at 1,000 events/s (enqueue -> stored)', value: r.latencyP50Ms, unit: 'ms', note: latencyNote(r) });
    rows.push({
      name: 'latency p99 at 1,000 events/s (enqueue -> stored)', value: r.latencyP99Ms, unit: 'ms', target: '< 1,000',
      met: r.latencyP99Ms !== null && r.latencyP99Ms < 1000 && (stored?.missing ?? 0) === 0,
      note: `store boundary (the Cosmos proxy)${stored?.missing ? `; ${stored.missing} events never seen stored` : ''}`,
    });
    rows.push({
      name: 'latency p50 / p99 at 1,000 events/s (enqueue -> end of the ingestion invocation)', value: `${r.invocationLatencyP50Ms ?? '-'} / ${r.invocationLatencyP99Ms ?? '-'}`, unit: 'ms',
      note: 'local Functions host metrics (enqueueToCompletionMs): with a write-behind window the invocation ends before its events are stored',
    });
    rows.push({ name: 'store reads per event (reference profile)', value: r.storeReadsPerEvent, unit: 'reads/event', target: '0', met: r.storeReadsPerEvent === 0 });
    rows.push({ name: 'store writes per event (reference profile)', value: r.storeWritesPerEvent, unit: 'writes/event' });
    rows.push({ name: 'host RSS under the reference load', value: r.hostPeakRssMb, unit: 'MB', target: '< 300', met: r.hostPeakRssMb !== null && r.hostPeakRssMb < 300 });
  }
  const curve: ReferenceProfileResult[] = [];
  if (want('window')) {
    const windows = String(o.windows).split(',').map((w) => parseIngestionWindow(w));
    const partitions = Number(o.windowPartitions);
    for (const windowSeconds of windows) {
      log(`window curve: reference profile with window ${windowSeconds} s, ${partitions} partitions...`);
      curve.push(await benchReferenceProfile({ devices: 1000, seconds: 30, windowSeconds, partitions }));
    }
    results['windowCurve'] = curve;
  }
  let pattern: Awaited<ReturnType<typeof benchReferencePattern>> | undefined;
  if (want('pattern')) {
    log('reference implementation pattern (1 read + 1 upsert per event), reference profile for 10 s...');
    pattern = await benchReferencePattern({ devices: 1000, seconds: 10 });
    results['referencePattern'] = pattern;
  }
  rows.push(...windowRows({ reference, curve, pattern }));
  const emulatorReceive: number | undefined = (results['emulator'] as { receiveEventsPerSec?: number } | undefined)?.receiveEventsPerSec;
  if (want('backlog')) {
    const events = o.full ? 1_000_000 : 200_000;
    log(`backlog drain (${events} events from 1,000 devices, ingestion paused then resumed)...`);
    const r = await benchBacklogDrain({ events, devices: 1000 });
    results['backlog'] = r;
    const cpu = r.drainCpuSeconds;
    const plain = backlogRows(r, events, { drain: 'backlog drain', rss: '' }, emulatorReceive);
    rows.push(...plain.rows);
    const backlogWindow = parseIngestionWindow(String(o.backlogWindow));
    if (backlogWindow > 0) {
      log(`backlog drain again with an ingestion window of ${backlogWindow} s...`);
      const w = await benchBacklogDrain({ events, devices: 1000, windowSeconds: backlogWindow });
      results['backlogWindowed'] = w;
      const windowed = backlogRows(w, events, { drain: `backlog drain, window ${backlogWindow} s`, rss: `, window ${backlogWindow} s`, drained: "; drained = every partition's write-behind watermark at its last event" }, emulatorReceive);
      rows.push(...windowed.rows, ...(windowed.ratio ? [windowed.ratio] : []));
    }
    if (emulatorReceive) {
      rows.push(plain.ratio!);
      // What this machine allows at all: the drain shares its cores with the emulator, the Cosmos
      // server, Azurite and the bench's fault proxies, which the raw-receive bench does not run.
      // Were the ingestion host free, their CPU alone on every core would still bound the rate.
      const others = (cpu['total'] ?? 0) - (cpu['host'] ?? 0);
      if (others > 0) {
        const cores = os.cpus().length;
        const ceiling = Math.round(events / (others / cores));
        const ceilingRatio = Math.round((ceiling / emulatorReceive) * 100) / 100;
        rows.push({
          name: 'backlog drain ceiling with a host costing no CPU / emulator raw receive (same run)',
          value: ceilingRatio,
          unit: 'x',
          note: `${ceiling} events/s: the other processes' ${Math.round(others * 10) / 10} CPU-s of the drain on ${cores} cores, fully used`,
        });
      }
    }
  }

  const date = new Date().toISOString();
  await mkdir(o.out, { recursive: true });
  await writeFile(path.join(o.out, 'benchmarks.json'), JSON.stringify({ date, machine, results, rows }, null, 2) + '\n');
  const md = markdownReport(rows, machine, date, `npm run bench${process.argv.slice(2).length ? ' -- ' + process.argv.slice(2).join(' ') : ''}`);
  await writeFile(path.join(o.out, 'benchmarks.md'), md);
  console.log(md);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exit(1);
});
