import type { PartitionContext, ReceivedEventData } from '@azure/event-hubs';

export interface MinBatchGateOptions {
  /** host.json minEventBatchSize (> 1, else the gate is not used). */
  minBatchSize: number;
  /** host.json maxEventBatchSize: no dispatch is larger. */
  maxBatchSize: number;
  /** host.json maxWaitTime, ms. */
  maxWaitMs: number;
  /** When this partition's checkpoint was last written (undefined: none). */
  lastCheckpointTime: (context: PartitionContext) => Promise<Date | undefined>;
  /** Invokes the function for a batch and checkpoints it (the processor's normal path). */
  dispatch: (events: ReceivedEventData[], context: PartitionContext) => Promise<void>;
  /** Called when received events are held back for the minimum size (count held so far). */
  onHeld?: (context: PartitionContext, held: number) => void;
  now?: () => number;
}

interface PartitionState {
  cache: ReceivedEventData[];
  firstInvocation: boolean;
  timer?: NodeJS.Timeout;
  /** Serialises receives and the wait timer, as the extension's semaphore does. */
  chain: Promise<void>;
  context?: PartitionContext;
  closed: boolean;
}

/**
 * minEventBatchSize / maxWaitTime as the Event Hubs extension 6.x applies them to a batch function
 * (azure-sdk-for-net sdk/eventhub/Microsoft.Azure.WebJobs.Extensions.EventHubs/src/Listeners/
 * EventHubListener.PartitionProcessor.cs + PartitionProcessorEventsManager.cs):
 * - received events are cached per partition; once the cache holds minEventBatchSize the function
 *   gets up to maxEventBatchSize of them (the rest waits);
 * - while events are cached a timer of maxWaitTime runs; when it fires the function gets what is
 *   cached (a partial batch, up to maxEventBatchSize), then the checkpoint moves;
 * - for the first invocation of a partition the wait is shortened: zero without a checkpoint, else
 *   maxWaitTime minus the time since the last checkpoint (zero when that is longer);
 * - closing the partition (pause, shutdown, lost ownership) drops the cache uncheckpointed, so the
 *   next owner reads those events again from the checkpoint.
 */
export class MinBatchGate {
  private readonly partitions = new Map<string, PartitionState>();
  private readonly now: () => number;

  constructor(private readonly o: MinBatchGateOptions) {
    this.now = o.now ?? Date.now;
  }

  receive(events: ReceivedEventData[], context: PartitionContext): Promise<void> {
    const state = this.state(context.partitionId);
    state.context = context;
    return this.serial(state, async () => {
      state.cache.push(...events);
      if (state.cache.length >= this.o.minBatchSize) {
        this.cancelTimer(state);
        await this.flush(state, context);
      } else if (events.length > 0) this.o.onHeld?.(context, state.cache.length);
      if (!state.timer && state.cache.length > 0) await this.startTimer(state, context);
    });
  }

  /** Drops the partition's cache (not checkpointed) and waits for a dispatch in progress. */
  async close(partitionId?: string): Promise<void> {
    const ids = partitionId === undefined ? [...this.partitions.keys()] : [partitionId];
    await Promise.all(
      ids.map(async (id) => {
        const state = this.partitions.get(id);
        if (!state) return;
        state.closed = true;
        this.cancelTimer(state);
        state.cache = [];
        await state.chain;
        this.partitions.delete(id);
      }),
    );
  }

  private state(partitionId: string): PartitionState {
    let state = this.partitions.get(partitionId);
    if (!state || state.closed) {
      state = { cache: [], firstInvocation: true, chain: Promise.resolve(), closed: false };
      this.partitions.set(partitionId, state);
    }
    return state;
  }

  private serial(state: PartitionState, task: () => Promise<void>): Promise<void> {
    const run = state.chain.then(task);
    state.chain = run.catch(() => undefined);
    return run;
  }

  private async flush(state: PartitionState, context: PartitionContext): Promise<void> {
    const batch = state.cache.splice(0, this.o.maxBatchSize);
    if (batch.length === 0) return;
    state.firstInvocation = false;
    await this.o.dispatch(batch, context);
  }

  private async startTimer(state: PartitionState, context: PartitionContext): Promise<void> {
    const wait = state.firstInvocation ? await this.firstWait(context) : this.o.maxWaitMs;
    state.timer = setTimeout(() => {
      state.timer = undefined;
      if (state.closed) return;
      // Max wait elapsed: whatever is cached goes out, even below the minimum.
      void this.serial(state, async () => {
        if (!state.closed) await this.flush(state, state.context ?? context);
      }).catch(() => undefined);
    }, wait);
    state.timer.unref?.();
  }

  private async firstWait(context: PartitionContext): Promise<number> {
    const last = await this.o.lastCheckpointTime(context).catch(() => undefined);
    if (!last) return 0;
    const since = this.now() - last.getTime();
    return since < this.o.maxWaitMs ? this.o.maxWaitMs - since : 0;
  }

  private cancelTimer(state: PartitionState): void {
    if (state.timer) clearTimeout(state.timer);
    state.timer = undefined;
  }
}
