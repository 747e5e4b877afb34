import type { Container, ItemDefinition } from '@azure/cosmos';
import { TaskCancelledError, TimeoutStrategy, timeout, type TimeoutPolicy } from 'cockatiel';
import { PipelineError, toPipelineError } from '@telemetry/core';
import { documentIdOf, type DeviceStateDocument } from '@telemetry/device-state';
import { buildDeviceListSql, entityTag, matchesAny, toDeviceView, type DeviceListQuery, type DeviceLookup, type DevicePage, type DeviceReader } from '@telemetry/device-queries';

/**
 * Reads device documents (one per device, partition key = deviceId, id = documentIdOf(deviceId)). Point reads cost 1 RU;
 * list queries are cross-partition, paged by Cosmos continuation tokens. Every failure is thrown
 * as a PipelineError (stage 'store'), so callers map codes, not SDK shapes.
 */
export interface CosmosDeviceReaderOptions {
  /**
   * Cap on one call, ms (COSMOS_CALL_TIMEOUT_MS). The SDK's own reconnect retries can take
   * ~10 s when Cosmos is unreachable; an interactive API answers 503 well before that.
   */
  callTimeoutMs?: number;
}

export class CosmosDeviceReader implements DeviceReader {
  private readonly timeout: TimeoutPolicy;
  constructor(
    private readonly container: Container,
    private readonly options: CosmosDeviceReaderOptions = {},
  ) {
    this.timeout = timeout(options.callTimeoutMs ?? 3_000, TimeoutStrategy.Aggressive);
  }

  private async call<T>(run: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await this.timeout.execute(({ signal }) => run(signal));
    } catch (error) {
      if (error instanceof TaskCancelledError) {
        throw new PipelineError('STORE_TIMEOUT', `store call exceeded ${this.options.callTimeoutMs ?? 3_000} ms`, { cause: error, stage: 'store' });
      }
      throw error;
    }
  }

  async get(deviceId: string, ifNoneMatch: string[] = []): Promise<DeviceLookup> {
    try {
      // Azure answers a matching If-None-Match with 304 and no body; the local server ignores the
      // header, so the tag is compared here too. Only one concrete tag can go to Cosmos.
      const single = ifNoneMatch.length === 1 && ifNoneMatch[0] !== '*' ? ifNoneMatch[0] : undefined;
      const response = await this.call((abortSignal) =>
        this.container
          .item(documentIdOf(deviceId), deviceId)
          .read<DeviceStateDocument & ItemDefinition>(single ? { abortSignal, accessCondition: { type: 'IfNoneMatch', condition: single } } : { abortSignal }),
      );
      if (response.statusCode === 304 && single) return { kind: 'not-modified', etag: single };
      const doc = response.resource;
      if (response.statusCode === 404 || !doc) return { kind: 'not-found' };
      const tag = entityTag(doc._etag ?? response.etag);
      if (matchesAny(tag, ifNoneMatch)) return { kind: 'not-modified', etag: tag };
      return { kind: 'found', device: toDeviceView(doc), etag: tag };
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) return { kind: 'not-found' };
      throw toPipelineError(error, 'store');
    }
  }

  async list(query: DeviceListQuery): Promise<DevicePage> {
    try {
      const page = await this.call((abortSignal) =>
        this.container.items
          .query<DeviceStateDocument>(buildDeviceListSql(query), { maxItemCount: query.pageSize, continuationToken: query.continuation, abortSignal })
          .fetchNext(),
      );
      const result: DevicePage = { devices: page.resources.map(toDeviceView) };
      if (page.continuationToken) result.continuation = page.continuationToken;
      return result;
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
  }

  async count(): Promise<number> {
    try {
      const { resources } = await this.call((abortSignal) => this.container.items.query<number>('SELECT VALUE COUNT(1) FROM c', { abortSignal }).fetchAll());
      return resources[0] ?? 0;
    } catch (error) {
      throw toPipelineError(error, 'store');
    }
  }
}
