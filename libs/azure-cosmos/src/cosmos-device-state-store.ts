import { BulkOperationType, type Container, type ItemDefinition, type JSONObject, type OperationInput, type OperationResponse } from '@azure/cosmos';
import {
  BrokenCircuitError,
  bulkhead,
  circuitBreaker,
  ConsecutiveBreaker,
  handleWhen,
  TaskCancelledError,
  timeout,
  TimeoutStrategy,
  type CircuitBreakerPolicy,
  type RetryPolicy,
  type TimeoutPolicy,
} from 'cockatiel';
import { PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import {
  applyPatch,
  documentFromPatch,
  documentIdOf,
  patchFromDocument,
  type DeviceStateDocument,
  type DeviceStatePatch,
} from '@telemetry/device-state';
import type { ApplyOutcome, DeviceStateStore, StoreStats } from '@telemetry/device-store';
import { LruCache } from './lru-cache';

export interface CosmosDeviceStateStoreOptions {
  retry: RetryOptions;
  /** Devices written in parallel per batch (STORE_CONCURRENCY). */
  concurrency: number;
  /** Devices whose ETag and state are remembered (STORE_CACHE_SIZE). */
  cacheSize: number;
  /** 409/412 rounds per device before STORE_CONFLICT (each round is re-read, re-merge, write). */
  maxConflictRounds?: number;
  /**
   * Cap on one store call in ms (STORE_CALL_TIMEOUT_MS). The SDK retries connection resets on its
   * own for up to ~10 s per call; this keeps a batch inside the function timeout when the store is down.
   */
  callTimeoutMs?: number;
  /** Consecutive retryable failures that open the instance-local circuit (fast-fail the rest of a batch). */
  breakerThreshold?: number;
  /** How long the local circuit stays open before one trial call, in ms. */
  breakerHalfOpenMs?: number;
  /**
   * Send a batch's writes as Cosmos bulk requests (up to 100 conditional operations per round
   * trip) instead of one request per device. Default true. Devices whose operation conflicts
   * (409/412) or fails transiently take the one-by-one path, with its re-read and retries.
   */
  bulk?: boolean;
  clock?: () => Date;
}

/** How @azure/cosmos reports a bulk request that failed as a whole (it drops the status code). */
const BULK_FAILURE = /^Bulk request errored with/;

/** Cosmos accepts at most 100 operations per bulk request. */
const BULK_LIMIT = 100;

interface Known {
  etag: string;
  state: DeviceStatePatch;
}

const statusOf = (error: unknown): number => Number((error as { code?: unknown; statusCode?: unknown })?.code ?? (error as { statusCode?: unknown })?.statusCode);

/**
 * The device-state store on Cosmos DB. Steady state costs one write per changed device and no
 * read: each device's last ETag and state are cached, the merge happens in memory, and the write
 * is a replace conditioned on that ETag. A 412 (someone else wrote) or 409 (the device exists but
 * is not cached, e.g. after a restart) costs one read, a re-merge and another conditional write.
 * A patch that changes nothing (duplicates, older events) costs no store operation at all.
 */
export class CosmosDeviceStateStore implements DeviceStateStore {
  private readonly cache: LruCache<string, Known>;
  private readonly retry: RetryPolicy;
  private readonly breaker: CircuitBreakerPolicy;
  private readonly timeout: TimeoutPolicy;
  private readonly counts: StoreStats = { creates: 0, replaces: 0, reads: 0, conflicts: 0, retries: 0, throttles: 0 };

  constructor(
    private readonly container: Container,
    private readonly options: CosmosDeviceStateStoreOptions,
  ) {
    this.cache = new LruCache(options.cacheSize);
    this.retry = transientRetryPolicy(options.retry);
    this.retry.onRetry(() => this.counts.retries++);
    this.breaker = circuitBreaker(
      // Contention (STORE_CONFLICT) means the store is healthy: it must not open the circuit.
      handleWhen((error) => error instanceof PipelineError && error.retryable && error.code !== 'STORE_CONFLICT'),
      // Half-open after 2 s: short enough that a batch arriving just after an operator resumes
      // ingestion probes the store instead of fast-failing on stale knowledge of an outage.
      { halfOpenAfter: options.breakerHalfOpenMs ?? 2_000, breaker: new ConsecutiveBreaker(options.breakerThreshold ?? 10) },
    );
    this.timeout = timeout(options.callTimeoutMs ?? 5_000, TimeoutStrategy.Aggressive);
  }

  stats(): StoreStats {
    return { ...this.counts };
  }

  async apply(patches: Iterable<DeviceStatePatch>): Promise<ApplyOutcome[]> {
    const limiter = bulkhead(this.options.concurrency, Number.POSITIVE_INFINITY);
    const all = [...patches];
    if (this.options.bulk === false || all.length < 2) {
      return Promise.all(all.map((patch) => limiter.execute(() => this.applyOne(patch))));
    }
    const outcomes = new Map<string, ApplyOutcome>();
    const pending: { patch: DeviceStatePatch; op: OperationInput; next: DeviceStatePatch }[] = [];
    for (const patch of all) {
      const known = this.cache.get(patch.deviceId);
      const { next, changed } = applyPatch(known?.state, patch);
      if (!changed) {
        outcomes.set(patch.deviceId, { deviceId: patch.deviceId, status: 'unchanged', attempts: 0 });
        continue;
      }
      const resourceBody = documentFromPatch(next, this.now()) as unknown as JSONObject;
      const op: OperationInput = known
        ? { operationType: BulkOperationType.Replace, id: documentIdOf(patch.deviceId), partitionKey: patch.deviceId, resourceBody, ifMatch: known.etag }
        : { operationType: BulkOperationType.Create, partitionKey: patch.deviceId, resourceBody };
      pending.push({ patch, op, next });
    }
    const slow: DeviceStatePatch[] = [];
    const chunks: (typeof pending)[] = [];
    for (let i = 0; i < pending.length; i += BULK_LIMIT) chunks.push(pending.slice(i, i + BULK_LIMIT));
    await Promise.all(
      chunks.map((chunk) =>
        limiter.execute(async () => {
          let responses: OperationResponse[];
          try {
            responses = await this.call((abortSignal) => this.container.items.bulk(chunk.map((c) => c.op), { continueOnError: true }, { abortSignal }));
          } catch {
            // The SDK reports a failed bulk request without its status (429? 503? reset?), so its
            // devices take the one-by-one path, which classifies each failure, honours retry-after
            // and retries; the local circuit breaker keeps that cheap during an outage.
            slow.push(...chunk.map((c) => c.patch));
            return;
          }
          chunk.forEach(({ patch, op, next }, i) => {
            const response = responses[i];
            const status = response?.statusCode ?? 0;
            if ((status === 200 || status === 201) && response?.eTag) {
              if (op.operationType === BulkOperationType.Create) this.counts.creates++;
              else this.counts.replaces++;
              this.cache.set(patch.deviceId, { etag: response.eTag, state: next });
              outcomes.set(patch.deviceId, { deviceId: patch.deviceId, status: 'written', attempts: 1 });
              return;
            }
            if (status === 409 || status === 412 || status === 404) this.counts.conflicts++;
            if (status === 429) this.counts.throttles++;
            slow.push(patch);
          });
        }),
      ),
    );
    // Conflicts and per-operation faults: the one-by-one path re-reads, re-merges and retries.
    const retried = await Promise.all(slow.map((patch) => limiter.execute(() => this.applyOne(patch))));
    for (const outcome of retried) outcomes.set(outcome.deviceId, { ...outcome, attempts: outcome.attempts + 1 });
    return all.map((p) => outcomes.get(p.deviceId)!);
  }

  async get(deviceId: string): Promise<DeviceStateDocument | undefined> {
    return this.retry.execute(() => this.call((signal) => this.read(deviceId, signal)));
  }

  private async applyOne(patch: DeviceStatePatch): Promise<ApplyOutcome> {
    let attempts = 0;
    try {
      const status = await this.retry.execute(() => {
        attempts++;
        return this.call((signal) => this.write(patch, signal));
      });
      return { deviceId: patch.deviceId, status, attempts };
    } catch (error) {
      return { deviceId: patch.deviceId, status: 'failed', error: toPipelineError(error, 'store'), attempts };
    }
  }

  /**
   * Runs one unit of store work under the call timeout and the local circuit breaker, and
   * normalises every failure to a PipelineError (counting throttles on the way).
   */
  private async call<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.breaker.execute(async () => {
        try {
          return await this.timeout.execute(({ signal }) => fn(signal));
        } catch (error) {
          const normalised =
            error instanceof TaskCancelledError
              ? new PipelineError('STORE_TIMEOUT', `store call exceeded ${this.options.callTimeoutMs ?? 5_000} ms`, { cause: error })
              : BULK_FAILURE.test(String((error as Error)?.message))
                ? new PipelineError('STORE_UNAVAILABLE', String((error as Error).message), { cause: error })
                : toPipelineError(error, 'store');
          if (normalised.code === 'STORE_THROTTLED') this.counts.throttles++;
          throw normalised;
        }
      });
    } catch (error) {
      if (error instanceof BrokenCircuitError) {
        throw new PipelineError('STORE_UNAVAILABLE', 'store circuit open after consecutive failures; failing fast', { cause: error });
      }
      throw error;
    }
  }

  private async write(patch: DeviceStatePatch, abortSignal: AbortSignal): Promise<'written' | 'unchanged'> {
    const rounds = this.options.maxConflictRounds ?? 10;
    for (let round = 0; round < rounds; round++) {
      const known = this.cache.get(patch.deviceId);
      if (!known) {
        const created = await this.tryCreate(patch, abortSignal);
        if (created) return 'written';
        await this.refresh(patch.deviceId, abortSignal);
        continue;
      }
      const { next, changed } = applyPatch(known.state, patch);
      if (!changed) return 'unchanged';
      const replaced = await this.tryReplace(patch.deviceId, next, known.etag, abortSignal);
      if (replaced) return 'written';
      await this.refresh(patch.deviceId, abortSignal);
    }
    throw new PipelineError('STORE_CONFLICT', `device ${patch.deviceId}: still conflicting after ${rounds} rounds`);
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private async tryCreate(patch: DeviceStatePatch, abortSignal: AbortSignal): Promise<boolean> {
    const { next } = applyPatch(undefined, patch);
    try {
      this.counts.creates++;
      const { etag } = await this.container.items.create(documentFromPatch(next, this.now()), { abortSignal });
      this.cache.set(patch.deviceId, { etag, state: next });
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      this.counts.conflicts++;
      return false;
    }
  }

  private async tryReplace(deviceId: string, next: DeviceStatePatch, etag: string, abortSignal: AbortSignal): Promise<boolean> {
    try {
      this.counts.replaces++;
      const response = await this.container
        .item(documentIdOf(deviceId), deviceId)
        .replace(documentFromPatch(next, this.now()) as unknown as ItemDefinition, { accessCondition: { type: 'IfMatch', condition: etag }, abortSignal });
      this.cache.set(deviceId, { etag: response.etag, state: next });
      return true;
    } catch (error) {
      const status = statusOf(error);
      if (status !== 412 && status !== 404) throw error;
      this.counts.conflicts++;
      return false;
    }
  }

  /** Re-reads a device after a conflict, so the next round merges onto what is really stored. */
  private async refresh(deviceId: string, abortSignal: AbortSignal): Promise<void> {
    const doc = await this.read(deviceId, abortSignal);
    if (doc?._etag) this.cache.set(deviceId, { etag: doc._etag, state: patchFromDocument(doc) });
    else this.cache.delete(deviceId);
  }

  private async read(deviceId: string, abortSignal?: AbortSignal): Promise<DeviceStateDocument | undefined> {
    this.counts.reads++;
    const { resource, statusCode } = await this.container.item(documentIdOf(deviceId), deviceId).read<DeviceStateDocument>({ abortSignal });
    return statusCode === 404 ? undefined : resource;
  }
}
