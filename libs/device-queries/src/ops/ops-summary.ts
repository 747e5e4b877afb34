import type { BreakerSummary, DeadLetterQueueSample, EventHubLag, OpsSummary, ParkedTally } from '@telemetry/contracts';
import type { DeviceReader } from '../device-reader';
import { notConfigured, probe } from './probe';

/** One part of the summary, read under the probe's deadline (the adapters live in libs/azure-*, libs/http-adapters). */
export interface OpsSource<T> {
  read(signal?: AbortSignal): Promise<T>;
}

/**
 * The breaker as the status API sees it: its summary, read only (libs/http-adapters'
 * BreakerClient). There is no resume here: resuming takes the operator's own authority, on the
 * breaker's approval page.
 */
export interface BreakerStatusSource {
  status(signal?: AbortSignal): Promise<BreakerSummary>;
}

export interface OpsSources {
  devices: DeviceReader;
  eventHub?: OpsSource<EventHubLag>;
  deadLetters?: OpsSource<DeadLetterQueueSample>;
  parked?: OpsSource<ParkedTally>;
  breaker?: BreakerStatusSource;
  /** Per-probe deadline in ms (OPS_PROBE_TIMEOUT_MS). */
  deadlineMs: number;
}

export async function collectOpsSummary(sources: OpsSources, now: () => Date = () => new Date()): Promise<OpsSummary> {
  const { deadlineMs } = sources;
  const [devices, eventHub, deadLetters, parked, breaker] = await Promise.all([
    probe(async () => ({ count: await sources.devices.count() }), deadlineMs),
    sources.eventHub ? probe((s) => sources.eventHub!.read(s), deadlineMs) : notConfigured('EventHubConnection / EventHubName not set'),
    sources.deadLetters ? probe((s) => sources.deadLetters!.read(s), deadlineMs) : notConfigured('DeadLetterStorage not set'),
    sources.parked ? probe((s) => sources.parked!.read(s), deadlineMs) : notConfigured('no storage for the parking table (ParkedStorage / DeadLetterStorage)'),
    sources.breaker ? probe((s) => sources.breaker!.status(s), deadlineMs) : notConfigured('BREAKER_SUMMARY_URL not set'),
  ]);
  return { generatedAt: now().toISOString(), devices, eventHub, deadLetters, parked, breaker };
}
