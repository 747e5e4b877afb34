import type { DecodedTelemetry } from './decode-telemetry';
import type { DeviceStatePatch } from './device-state';
import { mergeInto, patchOf } from './merge';

/**
 * Folds a batch of decoded events into one patch per device: at most one store write per
 * device per batch, whatever the batch's order or duplicates.
 */
export function coalesce(events: Iterable<DecodedTelemetry>): Map<string, DeviceStatePatch> {
  const byDevice = new Map<string, DeviceStatePatch>();
  for (const event of events) {
    const patch = patchOf(event);
    const existing = byDevice.get(patch.deviceId);
    if (existing) mergeInto(existing, patch);
    else byDevice.set(patch.deviceId, patch);
  }
  return byDevice;
}
