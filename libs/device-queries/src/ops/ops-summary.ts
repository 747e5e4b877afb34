import type { DeviceReader } from '../device-reader';
import type { BreakerClient, BreakerStatus } from './breaker-client';
import type { DeadLetterStats, DeadLetterStatsSource } from './dead-letter-stats';
import type { EventHubLag, EventHubLagSource } from './event-hub-lag';
import type { ParkedCount, ParkedCountSource } from './parked-count';
import { notConfigured, probe, type Probe } from './probe';

export interface DeviceCounts {
  /** Device documents in Cosmos. */
  count: number;
}

/** GET /api/ops/summary. Every part is probed independently: see Probe. */
export interface OpsSummary {
  generatedAt: string;
  devices: Probe<DeviceCounts>;
  eventHub: Probe<EventHubLag>;
  deadLetters: Probe<DeadLetterStats>;
  parked: Probe<ParkedCount>;
  breaker: Probe<BreakerStatus>;
}

export interface OpsSources {
  devices: DeviceReader;
  eventHub?: EventHubLagSource;
  deadLetters?: DeadLetterStatsSource;
  parked?: ParkedCountSource;
  breaker?: BreakerClient;
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
    sources.breaker ? probe((s) => sources.breaker!.status(s), deadlineMs) : notConfigured('BREAKER_STATUS_URL not set'),
  ]);
  return { generatedAt: now().toISOString(), devices, eventHub, deadLetters, parked, breaker };
}
