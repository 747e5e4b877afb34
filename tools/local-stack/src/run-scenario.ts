import type { HostAdminClient } from '@telemetry/local-host';
import { simulate, type SimulateOptions, type SimulationSummary } from '@telemetry/simulator';
import { waitForDrain } from './drain';
import { queueDeadLetters, reconcile, type DeadLetterSource, type Reconciliation } from './reconcile';
import type { LocalStack } from './start-stack';

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
  await waitForDrain(d, { timeoutMs: options.drainTimeoutMs, waitForDeadLetterQueue: false });
  const endToEndMs = Date.now() - started;
  const reconciliation = await reconcile(d, events, [queueDeadLetters(d), ...(options.extraDeadLetterSources ?? [])]);
  return {
    simulation: summary,
    endToEndMs,
    endToEndEventsPerSecond: Math.round((summary.sent / endToEndMs) * 1000),
    ...(await ingestionMetrics(stack.hosts.get('ingestion')?.admin)),
    reconciliation,
  };
}
