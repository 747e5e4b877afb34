import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { HostAdminClient } from '@telemetry/local-host';
import { emptySnapshot, mergeSnapshots, type MetricsSnapshot } from '@telemetry/observability';
import { readMetricsSnapshotFile } from './metrics-snapshot';
import { waitUntil } from '@telemetry/local-services';
import { simulate, type SimulateOptions, type SimulationSummary } from '@telemetry/simulator';
import { waitForDrain } from './drain';
import { allDeadLetterSources, reconcile, type DeadLetterSource, type Reconciliation } from './reconcile';
import { metricsDir, type LocalStack } from './start-stack';

export interface ScenarioOptions {
  devices: number;
  count: number;
  rate: number;
  corruptRatio: number;
  duplicateRatio: number;
  keyFrameEvery: number;
  seed: number;
  drainTimeoutMs: number;
  recordFile?: string;
  onProgress?: SimulateOptions['onProgress'];
  /** Extra places dead letters may rest (e.g. the reprocessor's parking store). */
  extraDeadLetterSources?: DeadLetterSource[];
}

export interface ScenarioSummary {
  simulation: SimulationSummary;
  /** From the first event sent to the pipeline drained. */
  endToEndMs: number;
  endToEndEventsPerSecond: number;
  /** Enqueue-to-stored latency of events in successful invocations (local host metrics). */
  latencyMs: { p50: number | null; p99: number | null; max: number | null; count: number };
  ingestion: { invocations: number; failures: number; retries: number; eventsProcessed: number };
  reconciliation: Reconciliation;
  /** The apps' own metrics (the numbers Azure Monitor gets in Azure), merged over instances. */
  metrics: MetricsSnapshot;
}

/** Merges every app instance's metrics snapshot file (written every 2 s and on shutdown). */
export async function stackMetrics(stack: LocalStack): Promise<MetricsSnapshot> {
  const dir = metricsDir(stack.descriptor.dataDir);
  const files = await readdir(dir).catch(() => [] as string[]);
  const snapshots = await Promise.all(files.filter((f) => f.endsWith('.json')).map((f) => readMetricsSnapshotFile(path.join(dir, f))));
  const present = snapshots.flatMap((s) => (s ? [s.snapshot] : []));
  return present.length ? mergeSnapshots(present) : emptySnapshot();
}

async function ingestionMetrics(admin: HostAdminClient | undefined) {
  const metrics = admin ? await admin.metrics().catch(() => ({})) : {};
  const m = (metrics as Record<string, { invocations: number; failures: number; retries: number; eventsProcessed: number; enqueueToCompletionMs?: ScenarioSummary['latencyMs'] }>)['ingestTelemetry'];
  return {
    latencyMs: m?.enqueueToCompletionMs ?? { p50: null, p99: null, max: null, count: 0 },
    ingestion: { invocations: m?.invocations ?? 0, failures: m?.failures ?? 0, retries: m?.retries ?? 0, eventsProcessed: m?.eventsProcessed ?? 0 },
  };
}

/** Sends a scenario through the running stack, waits for it to drain, and reconciles every event. */
export async function runScenario(stack: LocalStack, options: ScenarioOptions): Promise<ScenarioSummary> {
  const d = stack.descriptor;
  const started = Date.now();
  const { summary, events } = await simulate({
    connectionString: d.eventHubs.connectionString,
    hubName: d.eventHubs.hubName,
    devices: options.devices,
    count: options.count,
    rate: options.rate,
    keyFrameEvery: options.keyFrameEvery,
    corruptRatio: options.corruptRatio,
    duplicateRatio: options.duplicateRatio,
    seed: options.seed,
    recordFile: options.recordFile,
    onProgress: options.onProgress,
  });
  // With a reprocessor running, drained also means the dead-letter queue is empty (parked or applied).
  await waitForDrain(d, { timeoutMs: options.drainTimeoutMs, waitForDeadLetterQueue: stack.hosts.has('dead-letter-reprocessor') });
  const endToEndMs = Date.now() - started;
  const reconciliation = await reconcile(d, events, [...allDeadLetterSources(d), ...(options.extraDeadLetterSources ?? [])]);
  const host = await ingestionMetrics(stack.hosts.get('ingestion')?.admin);
  // Snapshot files are rewritten every 2 s: wait until they account for every event processed.
  const metrics = await waitUntil(
    async () => {
      const snapshot = await stackMetrics(stack);
      const received = snapshot.histograms.filter((h) => h.name === 'telemetry.batch.size').reduce((n, h) => n + h.sum, 0);
      return received >= host.ingestion.eventsProcessed ? snapshot : undefined;
    },
    { timeoutMs: 10_000, intervalMs: 250, description: 'the apps\' metrics snapshots to include the run' },
  ).catch(() => stackMetrics(stack));
  return {
    simulation: summary,
    endToEndMs,
    endToEndEventsPerSecond: Math.round((summary.sent / endToEndMs) * 1000),
    ...host,
    reconciliation,
    metrics,
  };
}
