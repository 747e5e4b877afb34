import path from 'node:path';
import type { EmulatorConfig } from '../config';
import { Hub } from '../storage/hub';

/** The hubs of the emulated namespace, looked up case-insensitively like the service. */
export class Namespace {
  private readonly hubs = new Map<string, Hub>();
  host = '127.0.0.1';

  private constructor(readonly list: readonly Hub[]) {
    for (const hub of list) this.hubs.set(hub.name.toLowerCase(), hub);
  }

  static async open(config: EmulatorConfig, dataDir: string, warn: (message: string, fields: Record<string, unknown>) => void): Promise<Namespace> {
    const options = {
      segmentBytes: config.segmentBytes,
      fsync: config.fsync,
      cacheBytes: config.cacheBytes,
      readChunkBytes: 1024 * 1024,
      onWarning: warn,
    };
    const hubs = await Promise.all(config.hubs.map((hub) => Hub.open(path.join(dataDir, 'hubs'), hub, options)));
    return new Namespace(hubs);
  }

  hub(name: string): Hub | undefined {
    return this.hubs.get(name.toLowerCase());
  }

  hasConsumerGroup(hub: Hub, consumerGroup: string): boolean {
    const wanted = consumerGroup.toLowerCase();
    for (const cg of hub.consumerGroups) if (cg.toLowerCase() === wanted) return true;
    return false;
  }

  async applyRetention(nowMs: number, maxAgeMs: number | undefined, maxBytes: number | undefined): Promise<void> {
    for (const hub of this.list) {
      for (const partition of hub.partitions) await partition.applyRetention(nowMs, maxAgeMs, maxBytes);
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.list.map((hub) => hub.close()));
  }
}
