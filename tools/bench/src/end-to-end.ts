import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { allDeadLetterSources, reconcile, runScenario, startLocalStack, waitForDrain, type LocalStack } from '@telemetry/local-stack';
import { documentWrites, waitUntil } from '@telemetry/local-services';
import { simulate, type SentEvent } from '@telemetry/simulator';
import { ingestionWindowAppSettings } from '@telemetry/contracts';
import { documentIdOf } from '@telemetry/device-state';
import { readEnqueuedTimes, telemetryKey } from './enqueued-times';
import { sampleRss } from './rss';
import { cpuSpent, stackCpuSeconds, type CpuByRole } from './process-cpu';
import { documentsBehind, storeLatency, type LatencyEvent } from './store-latency';

/** How the stack runs: the ingestion window (s, 0 = none) as app settings, as in Azure; Event Hubs partitions (default 4). */
export interface StackShape {
  windowSeconds?: number;
  partitions?: number;
  /** More ingestion app settings (e.g. AzureFunctionsJobHost__* host.json overrides for an A/B). */
  ingestionSettings?: Record<string, string>;
}

export async function withStack<T>(fn: (stack: LocalStack) => Promise<T>, shape: StackShape = {}): Promise<T> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'bench-'));
  const stack = await startLocalStack({
    dataDir, apps: ['ingestion'], build: false,
    ...(shape.partitions ? { partitions: shape.partitions } : {}),
    settingsOverrides: { ingestion: { ...ingestionWindowAppSettings(shape.windowSeconds ?? 0), ...shape.ingestionSettings } },
  });
  try {
    return await fn(stack);
  } finally {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/**
 * Waits until the ingestion host has processed `events` since its metrics were last reset, then
 * until every partition's checkpoint reached its last event. The first wait is one local HTTP GET a
 * poll; waitForDrain opens an Event Hubs client and lists the checkpoints on every poll, which on 2
 * cores would compete with the work it waits for, so it runs only to confirm the end.
 */
export async function drained(stack: LocalStack, events: number, timeoutMs: number): Promise<void> {
  const host = stack.hosts.get('ingestion')!;
  await waitUntil(async () => ((await host.admin.metrics())['ingestTelemetry']?.eventsProcessed ?? 0) >= events, {
    timeoutMs, intervalMs: 250, description: `the ingestion host to process ${events} events`,
  });
  await waitForDrain(stack.descriptor, { timeoutMs });
}

export const storeOps = (stack: LocalStack) => {
  const requests = stack.cosmosProxy.requests();
  return { writes: documentWrites(requests), reads: requests.filter((r) => r.isDocumentRead).length };
};

export interface ThroughputResult {
  events: number;
  devices: number;
  eventsPerSecond: number;
  storeWritesPerEvent: number;
  reconciled: boolean;
  hostPeakRssMb: number | null;
}

/** Everything sent at once, as fast as the simulator can: end-to-end events/s through the whole pipeline. */
export async function benchThroughput(options: { events: number; devices: number }): Promise<ThroughputResult> {
  return withStack(async (stack) => {
    const rss = sampleRss(stack.hosts.get('ingestion')?.pid);
    stack.cosmosProxy.resetCounts();
    const s = await runScenario(stack, {
      devices: options.devices, count: options.events, rate: 0, corruptRatio: 0, duplicateRatio: 0, keyFrameEvery: 10, seed: 3, drainTimeoutMs: 600_000,
    });
    return {
      events: s.simulation.sent,
      devices: options.devices,
      eventsPerSecond: s.endToEndEventsPerSecond,
      storeWritesPerEvent: round(storeOps(stack).writes / s.simulation.sent),
      reconciled: s.reconciliation.ok,
      hostPeakRssMb: await rss.stop(),
    };
  });
}

/** How the store-boundary latency was measured (ReferenceProfileResult.latencyP50Ms/P99Ms). */
export interface StoreBoundaryLatency {
  /** Measured events (valid, not resends) seen stored: a write the Cosmos server acknowledged carries them. */
  stored: number;
  /** Measured events no acknowledged write carried, even after waiting `waitedMs` past the drain for the store. */
  missing: number;
  maxMs: number | null;
  /** Where each event's start was taken: its Event Hubs enqueued time, read back from the hub; for any event not read back, its send time (earlier: an overestimate). */
  startedAt: 'event-hubs enqueued time' | 'simulator send time';
  /** Events whose send time stood in for an enqueued time not read back. */
  sendTimeStandIns: number;
  /** How long after the host drained the bench waited for the store to carry every device's newest event. */
  waitedMs: number;
}

export interface ReferenceProfileResult {
  windowSeconds: number;
  partitions: number;
  devices: number;
  rate: number;
  seconds: number;
  events: number;
  /**
   * Enqueue -> stored, at the store boundary: per event, from its Event Hubs enqueued time to the
   * first write of its device's document that the Cosmos server acknowledged (seen by the Cosmos
   * proxy) with lastEventTime >= the event's timestamp (nearest-rank percentiles). When
   * `storeLatency` is absent (older results), the host's invocation figure below.
   */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  /** How the store-boundary latency was measured; absent in results made before it was. */
  storeLatency?: StoreBoundaryLatency;
  /** The local Functions host's enqueueToCompletionMs: enqueue -> end of the ingestion invocation (not stored, with a write-behind window). */
  invocationLatencyP50Ms?: number | null;
  invocationLatencyP99Ms?: number | null;
  storeReadsPerEvent: number;
  storeWritesPerEvent: number;
  hostPeakRssMb: number | null;
  reconciled: boolean;
  /** Events per invocation in the measured phase: below the window's count cap, the window (not the cap) cut the batches. */
  eventsPerInvocation: number | null;
  /** Events dead-lettered (warm-up and measured), by code: a store that timed out on a loaded machine shows here, not in writes/event. */
  deadLettersByCode: Record<string, number>;
}

/**
 * The reference load: N drones, 1 event/s each, sent at a steady rate: latency and store cost per
 * event. A warm-up (partition claims, first creates, JIT) runs first and is drained; the host's
 * metrics and the store counts are then reset so the figures describe the steady state. Both
 * phases are reconciled.
 */
export async function benchReferenceProfile(options: { devices: number; seconds: number; warmupSeconds?: number } & StackShape): Promise<ReferenceProfileResult> {
  return withStack(async (stack) => {
    const d = stack.descriptor;
    const host = stack.hosts.get('ingestion')!;
    const send = (seconds: number, seed: number) =>
      simulate({
        connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: options.devices,
        count: options.devices * seconds, rate: options.devices, keyFrameEvery: 10, corruptRatio: 0, duplicateRatio: 0, seed,
      });
    const warmup = await send(options.warmupSeconds ?? 5, 4);
    await drained(stack, warmup.summary.sent, 120_000);
    await host.admin.resetMetrics();
    const proxy = stack.cosmosProxy;
    proxy.resetCounts();
    proxy.recordStoredWrites(true);
    const rss = sampleRss(host.pid);
    const measured = await send(options.seconds, 5);
    await drained(stack, measured.summary.sent, 300_000);
    // A write-behind app stores events after the invocation that took them returned: wait (bounded)
    // until the acknowledged writes carry every device's newest event before reading the figures.
    const carried = measuredTelemetry(measured.events);
    const newest = new Map<string, number>();
    for (const e of carried) if ((newest.get(e.documentId) ?? -Infinity) < e.timestampMs) newest.set(e.documentId, e.timestampMs);
    const waitStarted = Date.now();
    await waitUntil(() => documentsBehind(newest, proxy.storedWrites()) === 0, {
      timeoutMs: (options.windowSeconds ?? 0) * 1000 + 60_000, intervalMs: 250, description: 'the store to carry every device\'s newest event',
    }).catch(() => undefined); // what never landed is reported as missing
    const waitedMs = Date.now() - waitStarted;
    const hostPeakRssMb = await rss.stop();
    const ops = storeOps(stack);
    const writes = proxy.storedWrites();
    proxy.recordStoredWrites(false);
    const fn = (await host.admin.metrics())['ingestTelemetry'];
    const invocation = fn?.enqueueToCompletionMs;
    const enqueued = await readEnqueuedTimes({ connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, consumerGroup: READ_BACK_CONSUMER_GROUP }, { timeoutMs: 120_000 })
      .catch((error: unknown) => {
        console.error(`[bench] enqueued times not read back (send times stand in): ${error instanceof Error ? error.message : String(error)}`);
        return new Map<string, number>();
      });
    let sendTimeStandIns = 0;
    const timed: LatencyEvent[] = carried.map((e) => {
      const at = enqueued.get(e.key);
      if (at === undefined) sendTimeStandIns++;
      return { documentId: e.documentId, timestampMs: e.timestampMs, enqueuedAtMs: at ?? e.sentAt };
    });
    const store = storeLatency(timed, writes);
    const reconciliation = await reconcile(d, [...warmup.events, ...measured.events], allDeadLetterSources(d));
    const events = measured.summary.sent;
    return {
      windowSeconds: options.windowSeconds ?? 0, partitions: d.eventHubs.partitions,
      devices: options.devices, rate: options.devices, seconds: options.seconds, events,
      latencyP50Ms: store.p50, latencyP99Ms: store.p99,
      storeLatency: {
        stored: store.stored, missing: store.missing, maxMs: store.max,
        startedAt: sendTimeStandIns === timed.length && timed.length > 0 ? 'simulator send time' : 'event-hubs enqueued time', sendTimeStandIns, waitedMs,
      },
      invocationLatencyP50Ms: invocation?.p50 ?? null, invocationLatencyP99Ms: invocation?.p99 ?? null,
      storeReadsPerEvent: round(ops.reads / events), storeWritesPerEvent: round(ops.writes / events),
      hostPeakRssMb, reconciled: reconciliation.ok,
      eventsPerInvocation: fn && fn.invocations > 0 ? Math.round(fn.eventsProcessed / fn.invocations) : null,
      deadLettersByCode: reconciliation.deadLettersByCode,
    };
  }, options);
}

/** The consumer group the bench reads the hub back on: the emulator always has it, and the ingestion app (its own group) is not disturbed. */
const READ_BACK_CONSUMER_GROUP = '$Default';

/** The measured events a device document must come to carry: valid telemetry, each once (a resend carries nothing new). */
function measuredTelemetry(events: readonly SentEvent[]): { key: string; documentId: string; timestampMs: number; sentAt: number }[] {
  const out: { key: string; documentId: string; timestampMs: number; sentAt: number }[] = [];
  for (const e of events) {
    const t = e.kind === 'valid' && e.duplicateOf === undefined ? e.telemetry : undefined;
    if (!t) continue;
    out.push({ key: telemetryKey(t.deviceId, t.timestamp), documentId: documentIdOf(t.deviceId), timestampMs: Date.parse(t.timestamp), sentAt: e.sentAt });
  }
  return out;
}

export interface BacklogResult {
  events: number;
  devices: number;
  drainSeconds: number;
  drainEventsPerSecond: number;
  storeWritesPerEvent: number;
  hostPeakRssMb: number | null;
  /** Mean batch the trigger delivered during the drain (host.json maxEventBatchSize is its ceiling). */
  eventsPerInvocation: number | null;
  /** CPU seconds the stack's processes spent during the drain, by role (Linux; empty elsewhere). */
  drainCpuSeconds: CpuByRole;
}

/** Ingestion paused while a backlog builds up, then resumed: time to drain and store writes per event. */
export async function benchBacklogDrain(options: { events: number; devices: number } & StackShape): Promise<BacklogResult> {
  return withStack(async (stack) => {
    const host = stack.hosts.get('ingestion')!;
    await host.admin.pause('ingestTelemetry');
    const d = stack.descriptor;
    await simulate({
      connectionString: d.eventHubs.connectionString, hubName: d.eventHubs.hubName, devices: options.devices, count: options.events, rate: 0,
      keyFrameEvery: 10, corruptRatio: 0, duplicateRatio: 0, seed: 9,
    });
    stack.cosmosProxy.resetCounts();
    const rss = sampleRss(host.pid);
    await host.admin.resetMetrics();
    const cpuBefore = stackCpuSeconds();
    const started = Date.now();
    await host.admin.resume('ingestTelemetry');
    await drained(stack, options.events, 1_800_000);
    const seconds = (Date.now() - started) / 1000;
    const drainCpuSeconds = cpuSpent(cpuBefore, stackCpuSeconds());
    const fn = (await host.admin.metrics())['ingestTelemetry'];
    return {
      events: options.events, devices: options.devices, drainSeconds: round(seconds),
      drainEventsPerSecond: Math.round(options.events / seconds),
      storeWritesPerEvent: round(storeOps(stack).writes / options.events), hostPeakRssMb: await rss.stop(), drainCpuSeconds,
      eventsPerInvocation: fn && fn.invocations > 0 ? Math.round(fn.eventsProcessed / fn.invocations) : null,
    };
  }, options);
}

const round = (n: number): number => Math.round(n * 1000) / 1000;
