import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';
import { FunctionMetrics } from '../../admin/function-metrics';
import type { FunctionExecutor } from '../../invocation/function-executor';
import type { Logger } from '../../logging/logger';
import { EventHubBatchProcessor, IDLE_CHECKPOINT_MS } from './eventhub-batch-processor';

// Checkpoint rules of the Event Hubs extension (EventHubListener.PartitionProcessor.cs) for
// batchCheckpointFrequency > 1. The function itself is a stub here: only the checkpoints are asserted.
describe('EventHubBatchProcessor checkpoints with batchCheckpointFrequency 3', () => {
  const logger: Logger = { log: () => undefined, child: () => logger };
  const executor = { execute: async () => ({ ok: true, attempts: 1, invocationId: 'i' }) } as unknown as FunctionExecutor;
  let clock = 0;
  let checkpoints: number[];
  const context = { partitionId: '0', eventHubName: 'h', consumerGroup: '$Default', fullyQualifiedNamespace: 'ns', updateCheckpoint: async (e: ReceivedEventData) => void checkpoints.push(e.sequenceNumber) } as unknown as PartitionContext;
  const event = (sequenceNumber: number): ReceivedEventData => ({ body: Buffer.from('x'), sequenceNumber, offset: String(sequenceNumber), enqueuedTimeUtc: new Date(0), properties: {}, systemProperties: {}, partitionKey: null } as unknown as ReceivedEventData);
  const processor = (): EventHubBatchProcessor =>
    new EventHubBatchProcessor({ functionName: 'f', cardinality: 'many', dataType: 'binary', executor, metrics: new FunctionMetrics(true), logger, checkpointFrequency: 3, now: () => clock });
  const signal = new AbortController().signal;

  beforeEach(() => {
    checkpoints = [];
    clock = 0;
  });

  it('checkpoints every third batch, and the rest on a graceful close (not when ownership is lost)', async () => {
    const p = processor();
    for (let i = 1; i <= 4; i++) await p.process([event(i)], context, signal);
    expect(checkpoints).toEqual([3]);
    await p.close(context, 'Shutdown');
    expect(checkpoints).toEqual([3, 4]);
    const lost = processor();
    await lost.process([event(5)], context, signal);
    await lost.close(context, 'OwnershipLost');
    expect(checkpoints).toEqual([3, 4]);
  });

  it('checkpoints pending work after 10 minutes without events (idle checkpoint)', async () => {
    const p = processor();
    await p.process([event(7)], context, signal);
    clock = IDLE_CHECKPOINT_MS - 1;
    await p.idle(context);
    expect(checkpoints).toEqual([]);
    clock = IDLE_CHECKPOINT_MS;
    await p.idle(context);
    expect(checkpoints).toEqual([7]);
    await p.idle(context);
    expect(checkpoints).toEqual([7]);
  });
});
