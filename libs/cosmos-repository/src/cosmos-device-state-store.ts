import type { Container, ItemDefinition } from '@azure/cosmos';
import { bulkhead, type RetryPolicy } from 'cockatiel';
import { PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import {
  applyPatch,
  documentFromPatch,
  patchFromDocument,
  type DeviceStateDocument,
  type DeviceStatePatch,
} from '@telemetry/device-state';
import type { ApplyOutcome, DeviceStateStore, StoreStats } from './device-state-store';
import { LruCache } from './lru-cache';

export interface CosmosDeviceStateStoreOptions {
  retry: RetryOptions;
  /** Devices written in parallel per batch (STORE_CONCURRENCY). */
  concurrency: number;
  /** Devices whose ETag and state are remembered (STORE_CACHE_SIZE). */
  cacheSize: number;
  /** 409/412 rounds per device before STORE_CONFLICT (each round is re-read, re-merge, write). */
  maxConflictRounds?: number;
  clock?: () => Date;
}

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
  private readonly counts: StoreStats = { creates: 0, replaces: 0, reads: 0, conflicts: 0, retries: 0, throttles: 0 };

  constructor(
    private readonly container: Container,
    private readonly options: CosmosDeviceStateStoreOptions,
  ) {
    this.cache = new LruCache(options.cacheSize);
    this.retry = transientRetryPolicy(options.retry);
    this.retry.onRetry(() => this.counts.retries++);
  }

  stats(): StoreStats {
    return { ...this.counts };
  }

  async apply(patches: Iterable<DeviceStatePatch>): Promise<ApplyOutcome[]> {
    const limiter = bulkhead(this.options.concurrency, Number.POSITIVE_INFINITY);
    return Promise.all([...patches].map((patch) => limiter.execute(() => this.applyOne(patch))));
  }

  async get(deviceId: string): Promise<DeviceStateDocument | undefined> {
    return this.retry.execute(() => this.call(() => this.read(deviceId)));
  }

  private async applyOne(patch: DeviceStatePatch): Promise<ApplyOutcome> {
    let attempts = 0;
    try {
      const status = await this.retry.execute(() => {
        attempts++;
        return this.call(() => this.write(patch));
      });
      return { deviceId: patch.deviceId, status, attempts };
    } catch (error) {
      return { deviceId: patch.deviceId, status: 'failed', error: toPipelineError(error, 'store'), attempts };
    }
  }

  /** Runs one SDK call and normalises its failure (counting throttles on the way). */
  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      const normalised = toPipelineError(error, 'store');
      if (normalised.code === 'STORE_THROTTLED') this.counts.throttles++;
      throw normalised;
    }
  }

  private async write(patch: DeviceStatePatch): Promise<'written' | 'unchanged'> {
    const rounds = this.options.maxConflictRounds ?? 5;
    for (let round = 0; round < rounds; round++) {
      const known = this.cache.get(patch.deviceId);
      if (!known) {
        const created = await this.tryCreate(patch);
        if (created) return 'written';
        await this.refresh(patch.deviceId);
        continue;
      }
      const { next, changed } = applyPatch(known.state, patch);
      if (!changed) return 'unchanged';
      const replaced = await this.tryReplace(patch.deviceId, next, known.etag);
      if (replaced) return 'written';
      await this.refresh(patch.deviceId);
    }
    throw new PipelineError('STORE_CONFLICT', `device ${patch.deviceId}: still conflicting after ${rounds} rounds`);
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }

  private async tryCreate(patch: DeviceStatePatch): Promise<boolean> {
    const { next } = applyPatch(undefined, patch);
    try {
      this.counts.creates++;
      const { etag } = await this.container.items.create(documentFromPatch(next, this.now()));
      this.cache.set(patch.deviceId, { etag, state: next });
      return true;
    } catch (error) {
      if (statusOf(error) !== 409) throw error;
      this.counts.conflicts++;
      return false;
    }
  }

  private async tryReplace(deviceId: string, next: DeviceStatePatch, etag: string): Promise<boolean> {
    try {
      this.counts.replaces++;
      const response = await this.container
        .item(deviceId, deviceId)
        .replace(documentFromPatch(next, this.now()) as unknown as ItemDefinition, { accessCondition: { type: 'IfMatch', condition: etag } });
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
  private async refresh(deviceId: string): Promise<void> {
    const doc = await this.read(deviceId);
    if (doc?._etag) this.cache.set(deviceId, { etag: doc._etag, state: patchFromDocument(doc) });
    else this.cache.delete(deviceId);
  }

  private async read(deviceId: string): Promise<DeviceStateDocument | undefined> {
    this.counts.reads++;
    const { resource, statusCode } = await this.container.item(deviceId, deviceId).read<DeviceStateDocument>();
    return statusCode === 404 ? undefined : resource;
  }
}
