import type { CheckpointStore, EventHubConsumerClient, ReceivedEventData } from '@azure/event-hubs';
import type { ContainerClient } from '@azure/storage-blob';
import type { SourceEvent } from '@telemetry/contracts';
import { PipelineError, type Logger } from '@telemetry/core';
import type { PartitionReplay, Watermark, WatermarkStore } from '@telemetry/ingestion-pipeline';

/**
 * Watermarks sit in the trigger's checkpoint container, apart from the extension's
 * `<namespace>/<hub>/<group>/checkpoint|ownership/` blobs: the ingestion app's identity may
 * already write there (the Functions host keeps its checkpoints with it), so no new grant.
 */
export const WATERMARK_PREFIX = 'write-behind/';

export interface HubScope {
  fullyQualifiedNamespace: string;
  eventHubName: string;
  consumerGroup: string;
}

const statusOf = (error: unknown): number | undefined => (error as { statusCode?: number })?.statusCode;
const codeOf = (error: unknown): string | undefined => (error as { code?: string; details?: { errorCode?: string } })?.details?.errorCode ?? (error as { code?: string })?.code;

/**
 * One empty block blob per partition; the sequence number is its metadata, the blob's ETag the
 * version a write must name (If-Match), a first write If-None-Match: *. Two holders of a partition
 * (a handover) find out from a 412/409 instead of overwriting each other.
 */
export class BlobWatermarkStore implements WatermarkStore {
  constructor(
    private readonly container: Pick<ContainerClient, 'getBlockBlobClient' | 'listBlobsFlat' | 'createIfNotExists'>,
    private readonly scope: HubScope,
  ) {}

  private get prefix(): string {
    return `${WATERMARK_PREFIX}${[this.scope.fullyQualifiedNamespace, this.scope.eventHubName, this.scope.consumerGroup].map((p) => p.toLowerCase()).join('/')}/`;
  }

  private blob(partitionId: string) {
    return this.container.getBlockBlobClient(`${this.prefix}${partitionId}`);
  }

  /** Every partition's watermark that still owes events (not retired), in one listing: what lag readers use. */
  async list(): Promise<Map<string, number>> {
    const marks = new Map<string, number>();
    try {
      for await (const item of this.container.listBlobsFlat({ prefix: this.prefix, includeMetadata: true })) {
        const sequenceNumber = Number(item.metadata?.['sequencenumber']);
        if (Number.isSafeInteger(sequenceNumber) && item.metadata?.['retired'] !== 'true') marks.set(item.name.slice(this.prefix.length), sequenceNumber);
      }
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
    }
    return marks;
  }

  async read(partitionId: string): Promise<Watermark | undefined> {
    try {
      const props = await this.blob(partitionId).getProperties();
      const sequenceNumber = Number(props.metadata?.['sequencenumber']);
      if (!props.etag || !Number.isSafeInteger(sequenceNumber)) {
        throw new PipelineError('STORE_REJECTED', `the watermark of partition ${partitionId} is unreadable`);
      }
      return props.metadata?.['retired'] === 'true' ? { sequenceNumber, etag: props.etag, retired: true } : { sequenceNumber, etag: props.etag };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw error;
    }
  }

  async write(partitionId: string, sequenceNumber: number, etag: string | undefined, options: { retired?: boolean } = {}): Promise<string | 'conflict'> {
    const put = () =>
      this.blob(partitionId).upload('', 0, {
        metadata: { sequencenumber: String(sequenceNumber), writtenat: new Date().toISOString(), ...(options.retired ? { retired: 'true' } : {}) },
        conditions: etag === undefined ? { ifNoneMatch: '*' } : { ifMatch: etag },
      });
    try {
      return (await put()).etag ?? 'conflict';
    } catch (error) {
      const status = statusOf(error);
      if (status === 412 || (status === 409 && codeOf(error) !== 'ContainerNotFound') || (status === 404 && etag !== undefined && codeOf(error) !== 'ContainerNotFound')) return 'conflict';
      if (status === 404 && codeOf(error) === 'ContainerNotFound') {
        await this.container.createIfNotExists();
        return (await put()).etag ?? 'conflict';
      }
      throw error;
    }
  }
}

/**
 * Checkpoints as far as the store goes: a partition whose write-behind watermark is behind its
 * trigger checkpoint has events acknowledged and not yet written, so its lag (and the age of its
 * oldest unprocessed event) counts from the watermark. Without a window there are no watermarks
 * and the checkpoints pass through unchanged.
 */
export function storedCheckpoints(checkpoints: Pick<CheckpointStore, 'listCheckpoints'>, container: ContainerClient): Pick<CheckpointStore, 'listCheckpoints'> {
  return {
    listCheckpoints: async (fullyQualifiedNamespace, eventHubName, consumerGroup, options) => {
      const [list, marks] = await Promise.all([
        checkpoints.listCheckpoints(fullyQualifiedNamespace, eventHubName, consumerGroup, options),
        new BlobWatermarkStore(container, { fullyQualifiedNamespace, eventHubName, consumerGroup }).list(),
      ]);
      return list.map((c) => {
        const mark = marks.get(c.partitionId);
        return mark !== undefined && c.sequenceNumber !== undefined && mark < c.sequenceNumber ? { ...c, sequenceNumber: mark } : c;
      });
    },
  };
}

/** A received event in the shape the trigger gives (raw body bytes, string offset, ISO enqueued time). */
export function sourceEventOf(partitionId: string, e: ReceivedEventData): SourceEvent {
  const body = e.body instanceof Uint8Array ? e.body : typeof e.body === 'string' ? Buffer.from(e.body) : e.body;
  return {
    body,
    partitionId,
    sequenceNumber: e.sequenceNumber,
    offset: String(e.offset),
    enqueuedTimeUtc: e.enqueuedTimeUtc.toISOString(),
    partitionKey: e.partitionKey ?? null,
    properties: (e.properties ?? {}) as Record<string, unknown>,
    systemProperties: (e.systemProperties ?? {}) as Record<string, unknown>,
  };
}

export interface PartitionReplayOptions {
  /** A receive that brings nothing for this long ends the read with an error (s; default 10). */
  maxWaitSeconds?: number;
  /**
   * The whole read's limit (ms; default 240,000: under the ingestion app's functionTimeout of
   * 5 min). A longer read fails the invocation; the write-behind saves its progress as it writes
   * what it read, so the retry goes on from there.
   */
  timeoutMs?: number;
  logger?: Logger;
}

/**
 * Reads a partition again with the real receiver, on a consumer group of its own
 * (`EventHubReaderConsumerGroup`, default `$Default`): the ingestion group's epoch receivers would
 * refuse a second reader. Bodies come as raw bytes, as the trigger's `dataType: binary` gives them.
 */
export class EventHubPartitionReplay implements PartitionReplay {
  constructor(
    private readonly client: Pick<EventHubConsumerClient, 'subscribe'>,
    private readonly options: PartitionReplayOptions = {},
  ) {}

  read(partitionId: string, afterSequence: number, beforeSequence: number, onEvents: (events: SourceEvent[]) => Promise<void>): Promise<void> {
    const maxWaitTimeInSeconds = this.options.maxWaitSeconds ?? 10;
    return new Promise<void>((resolve, reject) => {
      let settled = false;
      let first = true;
      const finish = (outcome: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        void subscription.close().finally(outcome);
      };
      const fail = (message: string) => finish(() => reject(new PipelineError('WRITE_BEHIND_BLOCKED', message)));
      const timer = setTimeout(() => fail(`partition ${partitionId}: events ${afterSequence + 1} to ${beforeSequence - 1} were not read within ${this.options.timeoutMs ?? 240_000} ms`), this.options.timeoutMs ?? 240_000);
      const subscription = this.client.subscribe(
        partitionId,
        {
          processEvents: async (events) => {
            if (settled) return;
            if (events.length === 0) return fail(`partition ${partitionId}: no event after ${afterSequence} within ${maxWaitTimeInSeconds} s, although ${beforeSequence} was delivered`);
            if (first && events[0]!.sequenceNumber > afterSequence + 1) {
              // Past the hub's retention: what is gone cannot be read by anyone.
              this.options.logger?.error('events to read again are past the hub retention', { partitionId, from: afterSequence + 1, firstAvailable: events[0]!.sequenceNumber });
            }
            first = false;
            const wanted = events.filter((e) => e.sequenceNumber < beforeSequence).map((e) => sourceEventOf(partitionId, e));
            try {
              if (wanted.length > 0) await onEvents(wanted);
            } catch (error) {
              return finish(() => reject(error));
            }
            if (events[events.length - 1]!.sequenceNumber >= beforeSequence - 1) finish(resolve);
          },
          processError: async (error) => finish(() => reject(error)),
        },
        { startPosition: { sequenceNumber: afterSequence, isInclusive: false }, maxBatchSize: 500, maxWaitTimeInSeconds, skipParsingBodyAsJson: true },
      );
    });
  }
}
