import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import type { FunctionMetrics } from '../../admin/function-metrics';
import { errorCode, toError } from '../../errors';
import type { FunctionExecutor } from '../../invocation/function-executor';
import type { Logger } from '../../logging/logger';
import { toRanges, type DeliveryJournal } from './delivery-journal';
import { eventHubInput, eventHubTriggerMetadata, rawBody, type Cardinality } from './eventhub-trigger-data';

export interface EventHubBatchProcessorOptions {
  functionName: string;
  cardinality: Cardinality;
  dataType: unknown;
  executor: FunctionExecutor;
  metrics: FunctionMetrics;
  logger: Logger;
  /** host.json batchCheckpointFrequency: checkpoint every N batches. */
  checkpointFrequency: number;
  now?: () => number;
  /** Test-only delivery journal (setting LOCAL_HOST_DELIVERY_LOG_DIR): one record per invocation. */
  journal?: DeliveryJournal;
}

/** With batchCheckpointFrequency > 1, pending work is checkpointed after this long without events (the extension's IdleCheckpointIntervalSeconds). */
export const IDLE_CHECKPOINT_MS = 600_000;

interface PendingCheckpoint {
  batches: number;
  last?: ReceivedEventData;
  lastReceivedAt: number;
}

/**
 * One received batch -> invocation(s) -> checkpoint, as the Event Hubs extension does: the
 * checkpoint moves to the batch's last event whether the function succeeded or threw (after its
 * retry policy); it is skipped when shutdown cut the retries short.
 */
export class EventHubBatchProcessor {
  private readonly pending = new Map<string, PendingCheckpoint>();
  private readonly now: () => number;

  constructor(private readonly o: EventHubBatchProcessorOptions) {
    this.now = o.now ?? Date.now;
  }

  /**
   * An empty receive: with batchCheckpointFrequency > 1 and work not yet checkpointed, checkpoint it
   * once no events came for IDLE_CHECKPOINT_MS, so a stale checkpoint does not hold back scale-in
   * (EventHubListener.PartitionProcessor.cs ProcessEventsAsync, "Idle checkpoint").
   */
  async idle(context: PartitionContext): Promise<void> {
    const state = this.pending.get(context.partitionId);
    if (this.o.checkpointFrequency <= 1 || !state?.last || state.batches === 0) return;
    if (this.now() - state.lastReceivedAt >= IDLE_CHECKPOINT_MS) await this.checkpoint(context, state.last);
  }

  /**
   * The partition closes. On a graceful close (not lost ownership) work not yet checkpointed because
   * of batchCheckpointFrequency > 1 is checkpointed (EventHubListener.PartitionProcessor.cs CloseAsync).
   */
  async close(context: PartitionContext, reason: string): Promise<void> {
    const state = this.pending.get(context.partitionId);
    this.pending.delete(context.partitionId);
    if (reason === 'OwnershipLost' || this.o.checkpointFrequency <= 1 || !state?.last || state.batches === 0) return;
    await this.checkpoint(context, state.last);
  }

  async process(events: ReceivedEventData[], context: PartitionContext, signal: AbortSignal): Promise<void> {
    const { cardinality, metrics } = this.o;
    const groups = cardinality === 'many' ? [events] : events.map((e) => [e]);
    for (const group of groups) {
      const completed = await this.invoke(group, context, signal);
      if (!completed) return; // shutdown during retries: leave it for the next owner
      metrics.eventsProcessed += group.length;
    }
    const last = events[events.length - 1]!;
    const state = this.pending.get(context.partitionId) ?? { batches: 0, lastReceivedAt: 0 };
    state.batches++;
    state.last = last;
    state.lastReceivedAt = this.now();
    this.pending.set(context.partitionId, state);
    if (state.batches < this.o.checkpointFrequency) return;
    await this.checkpoint(context, last);
  }

  private async checkpoint(context: PartitionContext, last: ReceivedEventData): Promise<void> {
    const state = this.pending.get(context.partitionId);
    if (state) state.batches = 0;
    try {
      await context.updateCheckpoint(last);
    } catch (thrown) {
      this.o.logger.log({ level: 'warning', functionName: this.o.functionName, message: 'checkpoint failed', fields: { partitionId: context.partitionId, sequenceNumber: last.sequenceNumber, error: toError(thrown).message } });
    }
  }

  /** True when the group is done (succeeded or failed for good). */
  private async invoke(group: ReceivedEventData[], context: PartitionContext, signal: AbortSignal): Promise<boolean> {
    const { cardinality, dataType, executor, metrics, functionName, logger, journal } = this.o;
    let triggerData;
    try {
      triggerData = eventHubInput(group.map(rawBody), cardinality, dataType);
    } catch (thrown) {
      // A binding failure is a failed invocation for the host: the checkpoint still moves.
      metrics.invocations++;
      metrics.failures++;
      logger.log({ level: 'error', functionName, message: 'event hub binding failed', fields: { partitionId: context.partitionId, errorCode: errorCode(thrown), error: toError(thrown).message } });
      return true;
    }
    const outcome = await executor.execute({
      triggerData,
      triggerMetadata: eventHubTriggerMetadata(group, context, cardinality),
      useRetryPolicy: true,
      signal,
      reason: `event hub partition ${context.partitionId}`,
      ...(journal ? journalHooks(journal, functionName, context.partitionId, group) : {}),
    });
    if (outcome.ok) {
      const done = Date.now();
      for (const event of group) metrics.latency.record(done - event.enqueuedTimeUtc.getTime());
      return true;
    }
    return !signal.aborted;
  }
}

/** Journal records around each invocation: `start` is on disk before the function sees the batch. */
function journalHooks(journal: DeliveryJournal, fn: string, p: string, group: ReceivedEventData[]) {
  const seq = toRanges(group.map((e) => e.sequenceNumber));
  return {
    onInvocation: (inv: string, retry: number) => journal.write({ k: 'start', t: Date.now(), fn, inv, p, seq, retry }),
    onInvocationEnd: (inv: string, ok: boolean) => journal.write({ k: 'end', t: Date.now(), inv, ok }),
  };
}
