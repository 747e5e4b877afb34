import type { TableClient, TableEntityResult } from '@azure/data-tables';
import { ExponentialBackoff, handleWhen, retry, type RetryPolicy } from 'cockatiel';
import { ISSUE_CODES, issueCodes, PipelineError, toPipelineError, type IssueCode } from '@telemetry/core';
import { addCounts, bucketKey, bucketStart, totalOf, windowBuckets, type FailureCounter, type FailureCounts, type FailureWindow, type WindowOptions } from '@telemetry/failure-tracking';

export interface TableFailureCounterOptions {
  /** Bucket width in ms (5 s): the window's granularity. */
  bucketMs?: number;
  /** Rows per bucket (8): writers spread over them, so concurrent increments rarely collide. */
  shards?: number;
  /** Conditional-write rounds per record before giving up (8). */
  maxAttempts?: number;
  /** Cap on one table call in ms (2 s): reporting must not hold a batch during a storage outage. */
  callTimeoutMs?: number;
  clock?: () => number;
  random?: () => number;
}

type CounterRow = { total?: number } & Partial<Record<`c_${IssueCode}`, number>>;

const statusOf = (error: unknown): number =>
  Number((error as { statusCode?: unknown })?.statusCode ?? (error as { code?: unknown })?.code);
const isContention = (error: unknown): boolean => error instanceof PipelineError && error.code === 'STORE_CONFLICT';

/**
 * The failure window on Azure Table storage. Rows: PartitionKey = bucket start (zero-padded epoch
 * ms), RowKey = shard, properties `total` and `c_<CODE>`. A record is one conditional merge on
 * one shard row: the writer remembers the ETag of the row it last wrote, so the steady state is
 * one round trip with no read; a 412/409 (another writer got there) costs a read and a retry on
 * another shard. Rows are only created for buckets that saw failures; `prune` removes old ones.
 */
export class TableFailureCounter implements FailureCounter {
  readonly bucketMs: number;
  private readonly shards: number;
  private readonly clock: () => number;
  private readonly random: () => number;
  private readonly policy: RetryPolicy;
  private readonly callTimeoutMs: number;
  /** This writer's preferred shard: writers mostly own "their" row, so ETags stay valid. */
  private readonly homeShard: number;
  private readonly etags = new Map<string, { etag: string; row: CounterRow }>();

  constructor(
    private readonly table: TableClient,
    options: TableFailureCounterOptions = {},
  ) {
    this.bucketMs = options.bucketMs ?? 5_000;
    this.shards = Math.max(1, options.shards ?? 8);
    this.clock = options.clock ?? Date.now;
    this.random = options.random ?? Math.random;
    this.callTimeoutMs = options.callTimeoutMs ?? 2_000;
    this.homeShard = Math.floor(this.random() * this.shards);
    this.policy = retry(handleWhen(isContention), {
      maxAttempts: Math.max(0, (options.maxAttempts ?? 8) - 1),
      backoff: new ExponentialBackoff({ initialDelay: 5, maxDelay: 100 }),
    });
  }

  async record(counts: FailureCounts): Promise<void> {
    const clean = addCounts({}, counts);
    if (totalOf(clean) === 0) return;
    const partitionKey = bucketKey(bucketStart(this.clock(), this.bucketMs));
    await this.policy.execute(({ attempt }) => this.increment(partitionKey, this.shardFor(attempt), clean));
  }

  async windowTotal(windowMs: number, options: WindowOptions = {}): Promise<FailureWindow> {
    const now = options.now ?? this.clock();
    const { first, last } = windowBuckets(now, windowMs, this.bucketMs, options.notBefore);
    const window: FailureWindow = { total: 0, byCode: {}, from: first, to: last };
    if (first > last) return window;
    const filter = `PartitionKey ge '${bucketKey(first)}' and PartitionKey le '${bucketKey(last)}'`;
    try {
      for await (const row of this.table.listEntities<CounterRow>({ queryOptions: { filter } })) {
        window.total += row.total ?? 0;
        addCounts(window.byCode, countsOf(row));
      }
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
    return window;
  }

  /** Deletes rows of buckets older than `olderThanMs` (at most `limit` per call); returns how many. */
  async prune(olderThanMs: number, limit = 500): Promise<number> {
    const cutoff = bucketKey(bucketStart(this.clock() - olderThanMs, this.bucketMs));
    let deleted = 0;
    try {
      for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey lt '${cutoff}'`, select: ['PartitionKey', 'RowKey'] } })) {
        if (deleted >= limit) break;
        if (row.partitionKey === undefined || row.rowKey === undefined) continue;
        await this.table.deleteEntity(row.partitionKey, row.rowKey, this.call()).catch((error: unknown) => {
          if (statusOf(error) !== 404) throw error;
        });
        deleted++;
      }
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
    return deleted;
  }

  private call(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.callTimeoutMs) };
  }

  private shardFor(attempt: number): number {
    if (attempt === 0) return this.homeShard;
    return Math.floor(this.random() * this.shards);
  }

  private async increment(partitionKey: string, shard: number, counts: FailureCounts): Promise<void> {
    const rowKey = `shard-${String(shard).padStart(3, '0')}`;
    const cacheKey = `${partitionKey}/${rowKey}`;
    try {
      let known = this.etags.get(cacheKey);
      if (!known) {
        const current = await this.read(partitionKey, rowKey);
        if (!current) {
          const row = rowOf(counts);
          const created = await this.table.createEntity({ partitionKey, rowKey, ...row }, this.call());
          this.remember(cacheKey, created.etag, row);
          return;
        }
        known = current;
      }
      const row = rowOf(addCounts(countsOf(known.row), counts));
      const updated = await this.table.updateEntity({ partitionKey, rowKey, ...row }, 'Merge', { etag: known.etag, ...this.call() });
      this.remember(cacheKey, updated.etag, row);
    } catch (error) {
      this.etags.delete(cacheKey);
      const status = statusOf(error);
      // 409: created concurrently; 412: written concurrently. Both mean "re-read and retry".
      if (status === 409 || status === 412) throw new PipelineError('STORE_CONFLICT', 'failure counter row contended', { cause: error, stage: 'store' });
      throw toPipelineError(error, 'store');
    }
  }

  private async read(partitionKey: string, rowKey: string): Promise<{ etag: string; row: CounterRow } | undefined> {
    try {
      const entity: TableEntityResult<CounterRow> = await this.table.getEntity<CounterRow>(partitionKey, rowKey, this.call());
      return { etag: entity.etag, row: entity };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  private remember(cacheKey: string, etag: string | undefined, row: CounterRow): void {
    if (!etag) return;
    // Only the current bucket is ever written again: keep the map tiny.
    if (this.etags.size > 4 * this.shards) this.etags.clear();
    this.etags.set(cacheKey, { etag, row });
  }
}

function countsOf(row: CounterRow): FailureCounts {
  const counts: FailureCounts = {};
  for (const code of issueCodes) {
    const value = row[`c_${code}`];
    if (typeof value === 'number') counts[code] = value;
  }
  return counts;
}

function rowOf(counts: FailureCounts): CounterRow {
  const row: CounterRow = { total: totalOf(counts) };
  for (const code of Object.keys(ISSUE_CODES) as IssueCode[]) {
    const value = counts[code];
    if (value) row[`c_${code}`] = value;
  }
  return row;
}

