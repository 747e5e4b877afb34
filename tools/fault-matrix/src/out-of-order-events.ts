import { DroneFleet, seededRandom } from '@telemetry/simulator';
import type { OutgoingEvent } from './send-events';

export interface OutOfOrderOptions {
  devices: number;
  count: number;
  seed: number;
  keyFrameEvery: number;
  /** Share of events resent later, byte for byte. */
  duplicateRatio: number;
  startTime: number;
}

/**
 * A drone scenario delivered out of order: each device's events are shuffled, devices are
 * interleaved at random (so a device's events straddle batches in random order), and some events
 * are sent again later. Same data as the simulator's fleet, only the delivery order differs.
 */
export function outOfOrderEvents(options: OutOfOrderOptions): OutgoingEvent[] {
  const random = seededRandom(options.seed);
  const fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: options.keyFrameEvery, random, startTime: options.startTime });
  const byDevice = new Map<string, OutgoingEvent[]>();
  for (let i = 0; i < options.count; i++) {
    const telemetry = fleet.next();
    const list = byDevice.get(telemetry.deviceId) ?? [];
    list.push({ deviceId: telemetry.deviceId, body: Buffer.from(JSON.stringify(telemetry)), kind: 'valid', telemetry });
    byDevice.set(telemetry.deviceId, list);
  }
  const shuffle = <T>(items: T[]): T[] => {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [items[i], items[j]] = [items[j]!, items[i]!];
    }
    return items;
  };
  const queues = [...byDevice.values()].map(shuffle);
  const out: OutgoingEvent[] = [];
  while (queues.length) {
    const k = Math.floor(random() * queues.length);
    const queue = queues[k]!;
    // A few events of one device at a time: a device's shuffled events spread over many batches.
    for (let n = 1 + Math.floor(random() * 3); n > 0 && queue.length; n--) out.push(queue.pop()!);
    if (!queue.length) queues.splice(k, 1);
    if (out.length > 1 && random() < options.duplicateRatio) {
      const original = Math.floor(random() * (out.length - 1));
      out.push({ ...out[original]!, duplicateOf: out[original]!.duplicateOf ?? original });
    }
  }
  return out;
}
