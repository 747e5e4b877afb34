import { randomUUID } from 'node:crypto';
import type { CheckpointStore, EventHubConsumerClient, PartitionProperties } from '@azure/event-hubs';
import type { ContainerClient } from '@azure/storage-blob';
import { readFirstEvent, type EventMark } from './partition-reader';
import type { RewindTarget } from './rewind-target';
import { BlobWatermarkStore } from './write-behind-adapters';

/** Audit records of rewinds sit in the checkpoint container under this prefix, apart from the extension's `<namespace>/<hub>/<group>/checkpoint|ownership/`. */
export const REWIND_AUDIT_PREFIX = 'rewind-audit/';

/** One partition's rewind: the checkpoint it has and the one it gets. */
export interface PartitionRewind {
  partitionId: string;
  /** The current checkpoint's sequence number; null without one. */
  fromSequenceNumber: number | null;
  /** The new checkpoint (the last event treated as processed); offset '-1' means "before the first retained event". */
  to: { sequenceNumber: number; offset: string };
  /** Events ingestion will read after the rewind (from the new checkpoint to the last enqueued). */
  toReplay: number;
  /** Of those, events already processed once (negative: events skipped, moving forward). */
  processedAgain: number;
  /** Enqueued times of the first and last event to be read again; null when there is none. */
  span: { from: string; to: string; seconds: number } | null;
}

export interface RewindPlan {
  fullyQualifiedNamespace: string;
  eventHubName: string;
  consumerGroup: string;
  target: string;
  partitions: PartitionRewind[];
}

export interface RewindAuditRecord extends RewindPlan {
  by: string;
  at: string;
  reason?: string;
}

export interface CheckpointRewinderOptions {
  /** A client on the ingestion consumer group: names the checkpoints and reads partition properties. */
  client: Pick<EventHubConsumerClient, 'eventHubName' | 'fullyQualifiedNamespace' | 'getPartitionIds' | 'getPartitionProperties'>;
  /** A client on another consumer group, used to read events (the ingestion group's epoch receivers refuse a second reader). */
  reader: Pick<EventHubConsumerClient, 'subscribe'>;
  /** The ingestion consumer group (setting EventHubConsumerGroup). */
  consumerGroup: string;
  /** BlobCheckpointStore over `container`: the format the Functions extension reads (metadata sequencenumber/offset). */
  checkpoints: Pick<CheckpointStore, 'listCheckpoints' | 'updateCheckpoint' | 'listOwnership'>;
  container: Pick<ContainerClient, 'getBlockBlobClient' | 'listBlobsFlat' | 'createIfNotExists'>;
  /** Seconds to wait for an event when resolving a position (default 5). */
  maxWaitSeconds?: number;
}

/**
 * Checkpoint time travel for the ingestion consumer group: plans where each partition's checkpoint
 * goes for a target (reading the partition with the real receiver to resolve times), and applies a
 * plan through BlobCheckpointStore, leaving an audit record beside the checkpoints. Whether
 * ingestion is paused is the caller's business (the CLI asks the breaker).
 */
export class CheckpointRewinder {
  constructor(private readonly options: CheckpointRewinderOptions) {}

  async plan(target: RewindTarget, targetText: string, partitionIds?: string[]): Promise<RewindPlan> {
    const { client, consumerGroup } = this.options;
    const [ids, stored] = await Promise.all([
      client.getPartitionIds(),
      this.options.checkpoints.listCheckpoints(client.fullyQualifiedNamespace, client.eventHubName, consumerGroup),
    ]);
    const unknown = (partitionIds ?? []).filter((p) => !ids.includes(p));
    if (unknown.length > 0) throw new Error(`unknown partition(s) ${unknown.join(', ')}; the hub has ${ids.join(', ')}`);
    const chosen = partitionIds && partitionIds.length > 0 ? partitionIds : ids;
    const current = new Map(stored.map((c) => [c.partitionId, c.sequenceNumber]));
    const partitions = await Promise.all(chosen.map(async (id) => this.planPartition(await client.getPartitionProperties(id), current.get(id) ?? null, target)));
    return {
      fullyQualifiedNamespace: client.fullyQualifiedNamespace, eventHubName: client.eventHubName, consumerGroup, target: targetText,
      partitions: partitions.sort((a, b) => Number(a.partitionId) - Number(b.partitionId)),
    };
  }

  /**
   * Partitions a consumer still owns: an ownership record with an owner, renewed within
   * `expiryMs` (the SDK's default ownership expiry is 60 s). A paused consumer abandons its
   * ownership (empty owner) only once its last checkpoint is written, so a rewind waits for none.
   */
  async ownedPartitions(expiryMs = 60_000, now: number = Date.now()): Promise<string[]> {
    const { client, consumerGroup } = this.options;
    const owned = await this.options.checkpoints.listOwnership(client.fullyQualifiedNamespace, client.eventHubName, consumerGroup);
    return owned.filter((o) => o.ownerId !== '' && (o.lastModifiedTimeInMs ?? 0) > now - expiryMs).map((o) => o.partitionId).sort();
  }

  /**
   * Writes every partition's new checkpoint, then the audit record (returned, with its blob name).
   * A partition the ingestion window keeps a watermark for (what is stored) gets it moved too, so
   * a takeover reads again from where the rewind says, and never drops what is not yet stored:
   * - back (or in place): the watermark goes no later than the new checkpoint;
   * - forward: only when nothing acknowledged is still unstored (watermark at or past the current
   *   checkpoint); otherwise the whole rewind is refused before anything changes, since skipping
   *   would silently drop events the trigger acknowledged and the window had not yet written.
   */
  async apply(plan: RewindPlan, by: string, reason?: string, now: Date = new Date()): Promise<{ audit: RewindAuditRecord; blobName: string }> {
    const marks = new BlobWatermarkStore(this.options.container, { fullyQualifiedNamespace: plan.fullyQualifiedNamespace, eventHubName: plan.eventHubName, consumerGroup: plan.consumerGroup });
    const moves = await Promise.all(plan.partitions.map(async (p) => {
      const mark = await marks.read(p.partitionId);
      if (!mark) return undefined;
      const forward = p.to.sequenceNumber > (p.fromSequenceNumber ?? Number.NEGATIVE_INFINITY);
      if (forward && p.fromSequenceNumber !== null && mark.sequenceNumber < p.fromSequenceNumber) {
        throw new Error(`partition ${p.partitionId}: the ingestion window has not yet stored events ${mark.sequenceNumber + 1} to ${p.fromSequenceNumber}, which were acknowledged; a rewind forward would drop them. Resume ingestion until its lag reaches 0, or rewind no further than ${mark.sequenceNumber}`);
      }
      const to = forward ? p.to.sequenceNumber : Math.min(mark.sequenceNumber, p.to.sequenceNumber);
      return to === mark.sequenceNumber ? undefined : { partitionId: p.partitionId, to, etag: mark.etag, retired: mark.retired === true };
    }));
    for (const p of plan.partitions) {
      await this.options.checkpoints.updateCheckpoint({
        fullyQualifiedNamespace: plan.fullyQualifiedNamespace, eventHubName: plan.eventHubName, consumerGroup: plan.consumerGroup,
        partitionId: p.partitionId, sequenceNumber: p.to.sequenceNumber, offset: p.to.offset,
      });
    }
    for (const move of moves) {
      if (move && (await marks.write(move.partitionId, move.to, move.etag, { retired: move.retired })) === 'conflict') {
        throw new Error(`partition ${move.partitionId}: its ingestion-window watermark changed during the rewind (is ingestion running?); run the rewind again`);
      }
    }
    const audit: RewindAuditRecord = { ...plan, by, at: now.toISOString(), ...(reason ? { reason } : {}) };
    const blobName = `${REWIND_AUDIT_PREFIX}${plan.fullyQualifiedNamespace}/${plan.eventHubName}/${plan.consumerGroup}/${now.toISOString().replace(/[:.]/g, '-')}-${randomUUID().slice(0, 8)}.json`;
    const body = JSON.stringify(audit, null, 2);
    await this.options.container.getBlockBlobClient(blobName).upload(body, Buffer.byteLength(body), { blobHTTPHeaders: { blobContentType: 'application/json' } });
    return { audit, blobName };
  }

  private async planPartition(props: PartitionProperties, from: number | null, target: RewindTarget): Promise<PartitionRewind> {
    const last = props.isEmpty ? props.beginningSequenceNumber - 1 : props.lastEnqueuedSequenceNumber;
    const begin = props.beginningSequenceNumber;
    // F: the first event ingestion reads after the rewind.
    let first: number;
    let firstMark: EventMark | undefined;
    if (target.kind === 'earliest') first = begin;
    else if (target.kind === 'latest') first = last + 1;
    else if (target.kind === 'sequence') first = Math.min(Math.max(target.sequenceNumber, begin), last + 1);
    else {
      firstMark = props.isEmpty ? undefined : await this.read(props.partitionId, { enqueuedOn: target.at });
      first = firstMark && firstMark.sequenceNumber <= last ? Math.max(firstMark.sequenceNumber, begin) : last + 1;
    }
    let to: PartitionRewind['to'];
    if (first <= begin) to = { sequenceNumber: begin - 1, offset: '-1' };
    else if (first === last + 1) to = { sequenceNumber: last, offset: props.lastEnqueuedOffset };
    else {
      const mark = await this.read(props.partitionId, { sequenceNumber: first - 1, isInclusive: true });
      if (!mark) throw new Error(`partition ${props.partitionId}: event ${first - 1} could not be read`);
      to = { sequenceNumber: mark.sequenceNumber, offset: mark.offset };
    }
    const toReplay = Math.max(0, last - to.sequenceNumber);
    if (toReplay > 0 && firstMark?.sequenceNumber !== to.sequenceNumber + 1) firstMark = await this.read(props.partitionId, { sequenceNumber: to.sequenceNumber + 1, isInclusive: true });
    const lastAt = props.lastEnqueuedOnUtc.toISOString();
    const span = toReplay > 0 && firstMark
      ? { from: firstMark.enqueuedTimeUtc, to: lastAt, seconds: Math.max(0, (Date.parse(lastAt) - Date.parse(firstMark.enqueuedTimeUtc)) / 1000) }
      : null;
    return { partitionId: props.partitionId, fromSequenceNumber: from, to, toReplay, processedAgain: (from ?? begin - 1) - to.sequenceNumber, span };
  }

  private read(partitionId: string, position: Parameters<typeof readFirstEvent>[2]) {
    return readFirstEvent(this.options.reader, partitionId, position, { maxWaitSeconds: this.options.maxWaitSeconds });
  }
}
