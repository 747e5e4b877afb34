import { partitionForKey } from '@telemetry/eventhubs-emulator';

/** The simulator's device ids (tools/simulator DroneFleet: `drone-00000` ...); window-cap.spec.ts checks them against the fleet. */
export function fleetDeviceIds(devices: number): string[] {
  return Array.from({ length: devices }, (_, i) => `drone-${String(i).padStart(5, '0')}`);
}

/** Devices per partition when the partition key is the device id (the simulator's keys, the service's hash). */
export function devicesPerPartition(deviceIds: string[], partitions: number): number[] {
  const counts = new Array<number>(partitions).fill(0);
  for (const id of deviceIds) counts[partitionForKey(id, partitions)]!++;
  return counts;
}

/**
 * Store writes per event that a count-capped, per-partition window allows, whatever the host's speed.
 * A partition of n devices sending `ratePerDevice` events/s each is cut after `spanSeconds` or at
 * `batchCap` events, whichever comes first: span T = min(spanSeconds, batchCap / (n x rate)). The
 * simulator picks each event's device at random, so a device has Poisson(rate x T) events in a
 * batch and costs one write when it has any: (1 - e^-x) / x writes per event, x = rate x T,
 * averaged over partitions by their events. With T >= 5 s everywhere this is about 0.2; partitions
 * holding more than batchCap / (5 x rate) devices are cut early by the cap and pull it above.
 */
export function cappedWritesPerEvent(perPartition: number[], batchCap: number, spanSeconds: number, ratePerDevice = 1): number {
  let events = 0;
  let writes = 0;
  for (const n of perPartition) {
    if (n === 0) continue;
    const span = Math.min(spanSeconds, batchCap / (n * ratePerDevice));
    const x = ratePerDevice * span;
    events += n;
    writes += (n * (1 - Math.exp(-x))) / x;
  }
  return events === 0 ? 0 : writes / events;
}
