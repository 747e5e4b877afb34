import { randomUUID } from 'node:crypto';
import type { TableClient } from '@azure/data-tables';
import { ISSUE_CODES, issueCodes, toPipelineError, type IssueCode } from '@telemetry/core';
import { addCounts, bucketKey, bucketStart, FAILURE_RETENTION_MS, totalOf, windowBuckets, type FailureCounter, type FailureCounts, type FailureWindow, type WindowOptions } from '@telemetry/failure-tracking';

export interface TableFailureCounterOptions {
  /** Bucket width in ms (5 s): the window's granularity. */
  bucketMs?: number;
  /** Cap on one table call in ms (2 s): reporting must not hold a batch during a storage outage. */
  callTimeoutMs?: number;
  /** Counts for buckets older than this (ms) are dropped, not written (FAILURE_RETENTION_MS, 1 hour: what prune keeps). */
  retentionMs?: number;
  /** This writer's row key in every bucket (default: a random id per counter, i.e. per instance). */
  writerId?: string;
  clock?: () => number;
}

type CounterRow = { total?: number } & Partial<Record<`c_${IssueCode}`, number>>;

const statusOf = (error: unknown): number =>
  Number((error as { statusCode?: unknown })?.statusCode ?? (error as { code?: unknown })?.code);

/**
 * The failure window on Azure Table storage. Rows: PartitionKey = bucket start (zero-padded epoch
 * ms), RowKey = writer id, properties `total` and `c_<CODE>`: what that writer counted in that
 * bucket. Only its writer writes a row, so a record is one unconditional upsert (Replace) of the
 * writer's new total, no read and no contention; and it is idempotent: a call that failed (say,
 * timed out after the write landed) is not committed here, so recording its counts again writes
 * the same total, not twice the counts. Calls are serialised per writer so its own writes land in
 * order. Bound: a timed-out write the service applies only after a later write of the same bucket
 * rolls that row back to the older total until this writer's next write to it (an undercount of at
 * most the later writes, never a double count). A read sums one row per writer that failed in each
 * bucket: about (instances failing) x (buckets in the window), one page up to 1,000 rows.
 */
export class TableFailureCounter implements FailureCounter {
  readonly bucketMs: number;
  readonly writerId: string;
  /** Counts not written because their bucket was older than `retentionMs`. */
  readonly dropped: FailureCounts = {};
  private readonly clock: () => number;
  private readonly callTimeoutMs: number;
  private readonly retentionMs: number;
  /** This writer's committed total per bucket start (only buckets within retention are kept). */
  private readonly totals = new Map<number, FailureCounts>();
  private tail: Promise<void> = Promise.resolve();

  constructor(
    private readonly table: TableClient,
    options: TableFailureCounterOptions = {},
  ) {
    this.bucketMs = options.bucketMs ?? 5_000;
    this.clock = options.clock ?? Date.now;
    this.callTimeoutMs = options.callTimeoutMs ?? 2_000;
    this.retentionMs = options.retentionMs ?? FAILURE_RETENTION_MS;
    this.writerId = options.writerId ?? `w-${randomUUID()}`;
  }

  record(counts: FailureCounts, at?: number): Promise<void> {
    const clean = addCounts({}, counts);
    if (totalOf(clean) === 0) return Promise.resolve();
    const write = this.tail.then(() => this.write(bucketStart(at ?? this.clock(), this.bucketMs), clean));
    this.tail = write.catch(() => undefined);
    return write;
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

  /**
   * Deletes rows of buckets older than `olderThanMs`, a bucket's rows 100 to a transaction (one
   * partition each), until none is left or `budgetMs` has passed (the monitor waits for it);
   * returns how many. Rows are one per failing writer per bucket, so a fixed cap per call fell
   * behind a fleet of instances; batches keep up with thousands of rows a minute.
   */
  async prune(olderThanMs: number, budgetMs = 2_000): Promise<number> {
    const cutoff = bucketKey(bucketStart(this.clock() - olderThanMs, this.bucketMs));
    const deadline = this.clock() + budgetMs;
    let deleted = 0;
    let batch: { partitionKey: string; rowKey: string }[] = [];
    const flush = async (): Promise<void> => {
      if (batch.length === 0) return;
      const rows = batch;
      batch = [];
      try {
        await this.table.submitTransaction(rows.map((r) => ['delete', r] as ['delete', { partitionKey: string; rowKey: string }]), this.call());
      } catch {
        // A row another pruner deleted fails the whole transaction: one by one then (404 is fine).
        for (const r of rows) {
          await this.table.deleteEntity(r.partitionKey, r.rowKey, this.call()).catch((error: unknown) => {
            if (statusOf(error) !== 404) throw error;
          });
        }
      }
      deleted += rows.length;
    };
    try {
      for await (const row of this.table.listEntities({ queryOptions: { filter: `PartitionKey lt '${cutoff}'`, select: ['PartitionKey', 'RowKey'] } })) {
        if (row.partitionKey === undefined || row.rowKey === undefined) continue;
        if (batch.length === 100 || (batch.length > 0 && batch[0]!.partitionKey !== row.partitionKey)) await flush();
        if (this.clock() >= deadline) break;
        batch.push({ partitionKey: row.partitionKey, rowKey: row.rowKey });
      }
      await flush();
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
    return deleted;
  }

  private call(): { abortSignal: AbortSignal } {
    return { abortSignal: AbortSignal.timeout(this.callTimeoutMs) };
  }

  private async write(bucket: number, counts: FailureCounts): Promise<void> {
    const horizon = this.clock() - this.retentionMs;
    // Forget totals of buckets past retention: writes to them are dropped below, so none is needed again.
    for (const start of this.totals.keys()) if (start < horizon) this.totals.delete(start);
    if (bucket < horizon) {
      addCounts(this.dropped, counts);
      return;
    }
    const next = addCounts({ ...this.totals.get(bucket) }, counts);
    try {
      await this.table.upsertEntity({ partitionKey: bucketKey(bucket), rowKey: this.writerId, ...rowOf(next) }, 'Replace', this.call());
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
    this.totals.set(bucket, next);
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

