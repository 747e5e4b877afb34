import type { FunctionMetricsSnapshot } from './function-metrics';
import type { HostMemory } from './host-memory';

export type FunctionRunState = 'running' | 'paused' | 'stopped' | 'disabled' | 'unsupported';

export interface FunctionInfo {
  name: string;
  triggerType: string;
  state: FunctionRunState;
  paused: boolean;
  disabled: boolean;
  /** HTTP functions: the route below the prefix. */
  route?: string;
}

export interface HostStatus {
  state: 'Initialized' | 'Running' | 'Stopping' | 'Stopped';
  version: string;
  baseUrl: string;
  startedAt: string;
  uptimeMs: number;
  functionCount: number;
  memory: HostMemory;
}

/** The admin surface; the HTTP admin API and `LocalHost` callers use the same operations. */
export interface HostControl {
  listFunctions(): FunctionInfo[];
  pause(functionName: string): Promise<FunctionInfo>;
  resume(functionName: string): Promise<FunctionInfo>;
  status(): HostStatus;
  metrics(): Record<string, FunctionMetricsSnapshot>;
  /** Zeroes every function's counters and latency samples. */
  resetMetrics(): void;
}
