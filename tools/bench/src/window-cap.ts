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

/**
 * The shortest uncapped span (s) whose batches cost at most `writesPerEvent` writes per event, with
 * each device's events Poisson at `ratePerDevice` (as the simulator sends them): the root of
 * (1 - e^-x) / x = writesPerEvent, x = rate x span (the left side falls as x grows). Every batch
 * of a per-partition cut holds events from the whole span, so the oldest 1 % of events wait at
 * least 0.99 x span before their batch is even dispatched: that is the p99 no host can beat at
 * this cost, before the batch's own receive, processing and writes.
 */
export function shortestSpanFor(writesPerEvent: number, ratePerDevice = 1): number {
  if (!(writesPerEvent > 0 && writesPerEvent < 1)) throw new RangeError(`writes per event must be between 0 and 1 (exclusive), got ${writesPerEvent}`);
  const cost = (x: number): number => (1 - Math.exp(-x)) / x;
  let low = 1e-9;
  let high = 1 / writesPerEvent;
  for (let i = 0; i < 200 && high - low > 1e-12; i++) {
    const mid = (low + high) / 2;
    if (cost(mid) > writesPerEvent) low = mid;
    else high = mid;
  }
  return high / ratePerDevice;
}
