import { PipelineError } from '@telemetry/core';
import { applyPatch, documentFromPatch, type DeviceStateDocument, type DeviceStatePatch } from '@telemetry/device-state';
import type { ApplyOutcome, DeviceStateStore, StoreStats } from '../device-state-store';

/** For unit tests of logic only. `failWith` makes every apply fail for the listed devices (or all). */
export class InMemoryDeviceStateStore implements DeviceStateStore {
  readonly states = new Map<string, DeviceStatePatch>();
  failWith?: { code: 'STORE_UNAVAILABLE' | 'STORE_REJECTED'; devices?: string[] };
  writes = 0;

  async apply(patches: Iterable<DeviceStatePatch>): Promise<ApplyOutcome[]> {
    const out: ApplyOutcome[] = [];
    for (const patch of patches) {
      if (this.failWith && (!this.failWith.devices || this.failWith.devices.includes(patch.deviceId))) {
        out.push({ deviceId: patch.deviceId, status: 'failed', attempts: 1, error: new PipelineError(this.failWith.code, 'injected') });
        continue;
      }
      const { next, changed } = applyPatch(this.states.get(patch.deviceId), patch);
      if (changed) {
        this.writes++;
        this.states.set(patch.deviceId, next);
      }
      out.push({ deviceId: patch.deviceId, status: changed ? 'written' : 'unchanged', attempts: 1 });
    }
    return out;
  }

  async get(deviceId: string): Promise<DeviceStateDocument | undefined> {
    const state = this.states.get(deviceId);
    return state ? documentFromPatch(state, new Date(0)) : undefined;
  }

  stats(): StoreStats {
    return { creates: 0, replaces: this.writes, reads: 0, conflicts: 0, retries: 0, throttles: 0 };
  }
}
