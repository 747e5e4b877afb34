import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Partition, type PartitionOptions } from './partition';

/** An event hub: its partitions, consumer groups and creation time (kept in `hub.json`). */
export class Hub {
  private roundRobin = 0;

  private constructor(
    readonly name: string,
    readonly createdAt: Date,
    readonly partitions: readonly Partition[],
    readonly consumerGroups: ReadonlySet<string>,
  ) {}

  static async open(
    dataDir: string,
    config: { name: string; partitions: number; consumerGroups: readonly string[] },
    options: PartitionOptions,
  ): Promise<Hub> {
    const dir = path.join(dataDir, config.name);
    await mkdir(dir, { recursive: true });
    const metaFile = path.join(dir, 'hub.json');
    let createdAt: Date;
    try {
      createdAt = new Date((JSON.parse(await readFile(metaFile, 'utf8')) as { createdAt: string }).createdAt);
    } catch {
      createdAt = new Date();
      await writeFile(metaFile, JSON.stringify({ createdAt: createdAt.toISOString() }));
    }
    const partitions = await Promise.all(
      Array.from({ length: config.partitions }, (_, i) => Partition.open(String(i), path.join(dir, 'partitions', String(i)), options)),
    );
    return new Hub(config.name, createdAt, partitions, new Set(config.consumerGroups));
  }

  get partitionIds(): string[] {
    return this.partitions.map((p) => p.id);
  }

  partition(id: string): Partition | undefined {
    return /^\d+$/.test(id) ? this.partitions[Number(id)] : undefined;
  }

  /** Sends to the hub without a key spread whole transfers over partitions in turn. */
  nextRoundRobin(): Partition {
    const partition = this.partitions[this.roundRobin % this.partitions.length] as Partition;
    this.roundRobin++;
    return partition;
  }

  async close(): Promise<void> {
    await Promise.all(this.partitions.map((p) => p.close()));
  }
}
