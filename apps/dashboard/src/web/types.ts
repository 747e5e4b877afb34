/** Shapes the device-status API returns (see libs/device-queries). Kept local: the browser bundle imports no server code. */
export interface Position {
  latitude: number;
  longitude: number;
  altitude: number;
}

export interface Device {
  deviceId: string;
  battery?: number;
  flightMode?: number;
  position?: Position;
  health?: { gyrometerOK: boolean; accelerometerOK: boolean; magnetometerOK: boolean };
  lastEventTime: string;
  updatedAt: string;
}

export type Probe<T> = { status: 'ok'; data: T } | { status: 'error'; message: string } | { status: 'not-configured'; message: string };

export interface PartitionLag {
  partitionId: string;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedTimeUtc: string | null;
  checkpointSequenceNumber: number | null;
  lag: number;
}

export interface OpsSummary {
  generatedAt: string;
  devices: Probe<{ count: number }>;
  eventHub: Probe<{ eventHubName: string; consumerGroup: string; partitions: PartitionLag[]; enqueuedTotal: number; checkpointedTotal: number; lagTotal: number }>;
  deadLetters: Probe<{ queue: string; depth: number; sampled: number; byCode: Record<string, number>; oldestFailedAt: string | null }>;
  parked: Probe<{ table: string; count: number; capped: boolean; byCode: Record<string, number> }>;
  breaker: Probe<{ state: string; since: string | null; reason?: string; history: { state: string; at: string | null; reason?: string; by?: string }[]; canResume: boolean }>;
}

export interface DashboardConfig {
  /** Origin of the device-status function app; '' = same origin (the local server proxies /api). */
  apiBaseUrl: string;
  /** Static deployments only, and only if the API is not otherwise protected: sent as x-functions-key. */
  functionKey?: string;
  /** Poll interval, ms. */
  refreshMs: number;
}
