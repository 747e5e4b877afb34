import type { DecodedTelemetry } from './decode-telemetry';
import type { DeviceStatePatch } from './device-state';
import { mergeEventInto, patchOf } from './merge';

/**
 * Folds a batch of decoded events into one patch per device: at most one store write per
 * device per batch, whatever the batch's order or duplicates.
 */
export function coalesce(events: Iterable<DecodedTelemetry>): Map<string, DeviceStatePatch> {
  const byDevice = new Map<string, DeviceStatePatch>();
  for (const event of events) {
    const existing = byDevice.get(event.telemetry.deviceId);
    if (existing) mergeEventInto(existing, event);
    else byDevice.set(event.telemetry.deviceId, patchOf(event));
  }
  return byDevice;
}
