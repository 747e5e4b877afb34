import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import type { FunctionMetrics } from '../../admin/function-metrics';
import { errorCode, toError } from '../../errors';
import type { FunctionExecutor } from '../../invocation/function-executor';
import type { Logger } from '../../logging/logger';
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
}

/**
 * One received batch -> invocation(s) -> checkpoint, as the Event Hubs extension does: the
 * checkpoint moves to the batch's last event whether the function succeeded or threw (after its
 * retry policy); it is skipped when shutdown cut the retries short.
 */
export class EventHubBatchProcessor {
  private readonly batchesSinceCheckpoint = new Map<string, number>();

  constructor(private readonly o: EventHubBatchProcessorOptions) {}

  async process(events: ReceivedEventData[], context: PartitionContext, signal: AbortSignal): Promise<void> {
    const { cardinality, functionName, metrics } = this.o;
    const groups = cardinality === 'many' ? [events] : events.map((e) => [e]);
    for (const group of groups) {
      const completed = await this.invoke(group, context, signal);
      if (!completed) return; // shutdown during retries: leave it for the next owner
      metrics.eventsProcessed += group.length;
    }
    const count = (this.batchesSinceCheckpoint.get(context.partitionId) ?? 0) + 1;
    if (count < this.o.checkpointFrequency) {
      this.batchesSinceCheckpoint.set(context.partitionId, count);
      return;
    }
    this.batchesSinceCheckpoint.set(context.partitionId, 0);
    const last = events[events.length - 1]!;
    try {
      await context.updateCheckpoint(last);
    } catch (thrown) {
      this.o.logger.log({ level: 'warning', functionName, message: 'checkpoint failed', fields: { partitionId: context.partitionId, sequenceNumber: last.sequenceNumber, error: toError(thrown).message } });
    }
  }

  /** True when the group is done (succeeded or failed for good). */
  private async invoke(group: ReceivedEventData[], context: PartitionContext, signal: AbortSignal): Promise<boolean> {
    const { cardinality, dataType, executor, metrics, functionName, logger } = this.o;
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
      triggerMetadata: eventHubTriggerMetadata(group, context, cardinality, functionName),
      useRetryPolicy: true,
      signal,
      reason: `event hub partition ${context.partitionId}`,
    });
    if (outcome.ok) {
      const done = Date.now();
      for (const event of group) metrics.latency.record(done - event.enqueuedTimeUtc.getTime());
      return true;
    }
    return !signal.aborted;
  }
}
