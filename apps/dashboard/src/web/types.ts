/**
 * Shapes the device-status API returns. The ops summary is a cross-app contract (libs/contracts),
 * imported as types only: the browser bundle imports no server code.
 */
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

export type { OpsSummary, PartitionLag, Probe } from '@telemetry/contracts';

export interface DashboardConfig {
  /** Origin of the device-status function app; '' = same origin (the local server proxies /api). */
  apiBaseUrl: string;
  /** Static deployments only, and only if the API is not otherwise protected: sent as x-functions-key. */
  functionKey?: string;
  /** Poll interval, ms. */
  refreshMs: number;
}
