import { mkdir, open } from 'node:fs/promises';
import path from 'node:path';
import { EventHubProducerClient, type EventData } from '@azure/event-hubs';
import { bulkhead } from 'cockatiel';
import { iotHubMessage, type AmqpAnnotatedMessage } from './iot-hub-message';
import { ScenarioEvents } from './scenario-events';
import type { SentEvent } from './sent-record';

export interface SimulateOptions {
  connectionString: string;
  hubName?: string;
  devices: number;
  /** Events to send (distinct events; duplicates come on top). */
  count?: number;
  /** Stop after this many seconds instead of a count. */
  durationSeconds?: number;
  /** Target events/s; 0 = as fast as possible. */
  rate: number;
  keyFrameEvery: number;
  corruptRatio: number;
  duplicateRatio: number;
  seed: number;
  /**
   * IoT Hub mode: send every event as IoT Hub forwards it to its built-in endpoint (identity in
   * message annotations), with these shares of spoofing, module and non-telemetry events.
   */
  iotHub?: { spoofRatio: number; moduleRatio: number; nonTelemetryRatio: number };
  /** Write every sent event here (NDJSON) for reconciliation. */
  recordFile?: string;
  /** How long (ms) the hub may take to answer before anything is sent (default 30 s): an unreachable or wrong endpoint fails fast, not after the SDK's minutes of retries. */
  connectTimeoutMs?: number;
  onProgress?: (sent: number, total: number | undefined) => void;
  signal?: AbortSignal;
}

export interface SimulationSummary {
  sent: number;
  distinct: number;
  valid: number;
  corrupt: number;
  duplicates: number;
  devices: number;
  bytes: number;
  durationMs: number;
  eventsPerSecond: number;
  startedAt: string;
  finishedAt: string;
  seed: number;
  recordFile?: string;
}

export interface SimulationResult {
  summary: SimulationSummary;
  events: SentEvent[];
}

const TICK_MS = 100;
const MAX_TICK_EVENTS = 2_000;

/** The hub answers its properties within the bound, or a clear error (the SDK would retry for minutes, silently). */
async function reachable(producer: EventHubProducerClient, timeoutMs: number): Promise<void> {
  try {
    await producer.getEventHubProperties({ abortSignal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    const e = error as { code?: unknown; message?: unknown; name?: unknown };
    const why = e.name === 'AbortError' || e.name === 'TimeoutError' ? `no answer within ${timeoutMs / 1000} s` : `${typeof e.code === 'string' ? `${e.code}: ` : ''}${String(e.message ?? error)}`;
    throw new Error(`cannot reach the event hub ${producer.eventHubName} at ${producer.fullyQualifiedNamespace}: ${why}`, { cause: error });
  }
}

/**
 * Sends a drone scenario to Event Hubs with the real producer, partition key = deviceId, and
 * records every event sent. Bodies are sent as raw bytes (JSON UTF-8) with content type.
 */
export async function simulate(options: SimulateOptions): Promise<SimulationResult> {
  const { devices, keyFrameEvery, corruptRatio, duplicateRatio, seed } = options;
  const scenario = new ScenarioEvents({ devices, keyFrameEvery, corruptRatio, duplicateRatio, seed, startTime: Date.now(), ...(options.iotHub ? { iotHub: options.iotHub } : {}) });
  const producer = new EventHubProducerClient(options.connectionString, options.hubName ?? '');
  const limiter = bulkhead(32, Number.POSITIVE_INFINITY);
  const startedAt = Date.now();
  const deadline = options.durationSeconds ? startedAt + options.durationSeconds * 1000 : Number.POSITIVE_INFINITY;
  const total = options.count;
  let distinct = 0;
  let bytes = 0;
  try {
    await reachable(producer, options.connectTimeoutMs ?? 30_000);
    while ((total === undefined || distinct < total) && Date.now() < deadline && !options.signal?.aborted) {
      const tickStart = Date.now();
      const elapsed = tickStart - startedAt;
      const due = options.rate > 0 ? Math.floor(((elapsed + TICK_MS) / 1000) * options.rate) - distinct : MAX_TICK_EVENTS;
      const n = Math.min(Math.max(due, 0), MAX_TICK_EVENTS, total === undefined ? Number.POSITIVE_INFINITY : total - distinct);
      const byDevice = new Map<string, (EventData | AmqpAnnotatedMessage)[]>();
      const queue = (record: SentEvent, body: Buffer): void => {
        bytes += body.byteLength;
        const list = byDevice.get(record.deviceId) ?? [];
        const properties = { source: 'simulator', index: record.index };
        list.push(record.iotHub ? iotHubMessage(body, record.iotHub, new Date(), properties) : { body, contentType: 'application/json', properties });
        byDevice.set(record.deviceId, list);
      };
      for (let i = 0; i < n; i++) {
        distinct++;
        for (const event of scenario.next()) queue(event.record, event.body);
      }
      await Promise.all(
        [...byDevice].map(([deviceId, events]) => limiter.execute(() => producer.sendBatch(events as EventData[] | AmqpAnnotatedMessage[], { partitionKey: deviceId }))),
      );
      options.onProgress?.(distinct, total);
      if (options.rate > 0) {
        const wait = TICK_MS - (Date.now() - tickStart);
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      }
    }
  } finally {
    await producer.close();
  }
  const finishedAt = Date.now();
  // Made from the scenario's compact columns only now: during the load no object per event lives.
  const sent: SentEvent[] = await scenario.recordsInSteps();
  const durationMs = Math.max(1, finishedAt - startedAt);
  if (options.recordFile) {
    await mkdir(path.dirname(options.recordFile), { recursive: true });
    await writeNdjson(options.recordFile, sent);
  }
  const summary: SimulationSummary = {
    sent: sent.length,
    distinct,
    valid: sent.filter((e) => e.kind === 'valid' && e.duplicateOf === undefined).length,
    corrupt: sent.filter((e) => e.kind === 'corrupt' && e.duplicateOf === undefined).length,
    duplicates: sent.filter((e) => e.duplicateOf !== undefined).length,
    devices: new Set(sent.map((e) => e.deviceId)).size,
    bytes,
    durationMs,
    eventsPerSecond: Math.round((sent.length / durationMs) * 1000),
    startedAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    seed: options.seed,
    ...(options.recordFile ? { recordFile: options.recordFile } : {}),
  };
  return { summary, events: sent };
}

/** Lines per write: a long run's record is far beyond the longest string V8 can hold (~512 MB). */
const RECORD_CHUNK = 5_000;

/** Writes one JSON line per item, a chunk of lines at a time. */
export async function writeNdjson(file: string, items: readonly unknown[], chunk = RECORD_CHUNK): Promise<void> {
  const handle = await open(file, 'w');
  try {
    for (let i = 0; i < items.length; i += chunk) {
      let text = '';
      for (const item of items.slice(i, i + chunk)) text += JSON.stringify(item) + '\n';
      await handle.write(text);
    }
  } finally {
    await handle.close();
  }
}
