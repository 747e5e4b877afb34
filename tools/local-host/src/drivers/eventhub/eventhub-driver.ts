import { earliestEventPosition, EventHubConsumerClient, latestEventPosition, type EventPosition, type PartitionContext, type Subscription } from '@azure/event-hubs';
import { BlobCheckpointStore } from '@azure/eventhubs-checkpointstore-blob';
import { ContainerClient } from '@azure/storage-blob';
import type { EventHubsHostOptions } from '../../config/host-json';
import { parseTimeSpan } from '../../config/timespan';
import { toError } from '../../errors';
import { connectionString } from '../connection-setting';
import { PausableDriver } from '../pausable-driver';
import { CheckpointContainerClient } from './checkpoint-container-client';
import { EventHubBatchProcessor } from './eventhub-batch-processor';
import { DELIVERY_LOG_SETTING, DeliveryJournal } from './delivery-journal';
import { MinBatchGate } from './min-batch-gate';
import { OwnershipExpiredError, OwnershipLease } from './ownership-lease';
import type { Cardinality } from './eventhub-trigger-data';
import { RESOURCE_NAMES } from '@telemetry/contracts';

/** The extension's checkpoint container, on the AzureWebJobsStorage account. */
export const CHECKPOINT_CONTAINER = RESOURCE_NAMES.checkpointContainer;

interface EventHubTrigger {
  eventHubName?: string;
  connection?: string;
  consumerGroup?: string;
  cardinality?: Cardinality;
  dataType?: string;
}

function startPosition(options: EventHubsHostOptions): EventPosition {
  const initial = options.initialOffsetOptions;
  if (initial.type === 'fromEnd') return latestEventPosition;
  if (initial.type === 'fromEnqueuedTime') return { enqueuedOn: new Date(initial.enqueuedTimeUtc ?? 0) };
  return earliestEventPosition;
}

/**
 * eventHubTrigger: an EventHubConsumerClient with a BlobCheckpointStore, so several host
 * processes on one hub and consumer group share partitions through ownership, as in Azure.
 * Pause stops taking batches, waits for in-flight ones to be checkpointed, then closes the
 * subscription (ownership is abandoned); resume subscribes again from the checkpoints.
 */
export class EventHubDriver extends PausableDriver {
  readonly triggerType = 'eventHubTrigger';
  private client?: EventHubConsumerClient;
  private subscription?: Subscription;
  private processor?: EventHubBatchProcessor;
  /** Only for a batch function with minEventBatchSize > 1 (the extension's rule). */
  private gate?: MinBatchGate;
  private abort = new AbortController();
  private accepting = false;
  private readonly inFlight = new Set<Promise<void>>();
  private journal?: DeliveryJournal;
  private lease?: OwnershipLease;

  async start(): Promise<void> {
    const { registration, settings, executor, metrics, logger, hostJson } = this.context;
    const trigger = registration.trigger as EventHubTrigger;
    const name = registration.name;
    const hub = settings.resolve(trigger.eventHubName ?? '', name);
    const consumerGroup = settings.resolve(trigger.consumerGroup || '$Default', name);
    const connection = connectionString(settings, trigger.connection, 'EventHubConnection', name);
    const storage = connectionString(settings, undefined, 'AzureWebJobsStorage', `${name} checkpoints`);
    const container = new CheckpointContainerClient(storage, CHECKPOINT_CONTAINER);
    await container.createIfNotExists();
    const options = hostJson.extensions.eventHubs;
    const clientOptions = {
      loadBalancingOptions: {
        // Greedy: a lone host claims every free partition in one cycle instead of one per
        // loadBalancingUpdateInterval; hosts still converge to an even split.
        strategy: 'greedy' as const,
        updateIntervalInMs: parseTimeSpan(options.loadBalancingUpdateInterval, 'eventHubs.loadBalancingUpdateInterval'),
        partitionOwnershipExpirationIntervalInMs: parseTimeSpan(options.partitionOwnershipExpirationInterval, 'eventHubs.partitionOwnershipExpirationInterval'),
      },
    };
    // Ownership the store cannot renew expires as in the extension (see OwnershipLease).
    const store = (this.lease = new OwnershipLease(new BlobCheckpointStore(container), clientOptions.loadBalancingOptions.partitionOwnershipExpirationIntervalInMs));
    const journalDir = settings.get(DELIVERY_LOG_SETTING);
    if (journalDir) this.journal = DeliveryJournal.open(journalDir, name);
    this.client = /;\s*EntityPath=/i.test(connection)
      ? new EventHubConsumerClient(consumerGroup, connection, store, clientOptions)
      : new EventHubConsumerClient(consumerGroup, connection, hub, store, clientOptions);
    this.processor = new EventHubBatchProcessor({
      functionName: name,
      cardinality: trigger.cardinality === 'many' ? 'many' : 'one',
      dataType: trigger.dataType,
      executor,
      metrics,
      logger,
      checkpointFrequency: options.batchCheckpointFrequency,
      ...(this.journal ? { journal: this.journal } : {}),
    });
    if (trigger.cardinality === 'many' && options.minEventBatchSize > 1) {
      this.gate = new MinBatchGate({
        minBatchSize: options.minEventBatchSize,
        maxBatchSize: options.maxEventBatchSize,
        maxWaitMs: parseTimeSpan(options.maxWaitTime, 'eventHubs.maxWaitTime'),
        lastCheckpointTime: (ctx) => lastCheckpointTime(container, ctx),
        dispatch: (events, ctx) => this.processor!.process(events, ctx, this.abort.signal),
        onHeld: (ctx, held) => logger.log({ level: 'debug', source: 'Host.Triggers.EventHub', functionName: name, message: 'events held for minEventBatchSize', fields: { partitionId: ctx.partitionId, held, minEventBatchSize: options.minEventBatchSize } }),
      });
    }
    this.subscribe();
  }

  /** Graceful: in-flight batches finish and checkpoint; pending retry waits are cut short (no checkpoint then). */
  async stop(): Promise<void> {
    this.abort.abort();
    if (this.currentState === 'running') await this.unsubscribe();
    await this.client?.close();
    this.client = undefined;
    this.journal?.close();
    this.currentState = 'stopped';
  }

  protected halt(): Promise<void> {
    return this.unsubscribe();
  }

  protected restart(): void {
    this.subscribe();
  }

  private subscribe(): void {
    const { hostJson, logger, registration } = this.context;
    const options = hostJson.extensions.eventHubs;
    const fn = registration.name;
    this.abort = new AbortController();
    this.accepting = true;
    const signal = this.abort.signal;
    this.subscription = this.client!.subscribe(
      {
        processInitialize: async (partitionContext) => {
          this.journal?.write({ k: 'open', t: Date.now(), fn, p: partitionContext.partitionId });
        },
        processEvents: async (events, partitionContext) => {
          // Batches that arrive while pausing are dropped unprocessed and not checkpointed:
          // the next owner (or resume) reads them again from the checkpoint.
          if (!this.accepting) return;
          // Ownership not renewed in time: stop here (OwnershipLost); a new claim restarts it from the checkpoint.
          if (this.lease?.expired(partitionContext.partitionId)) {
            this.context.metrics.ownershipLost++;
            throw new OwnershipExpiredError(partitionContext.partitionId, clientOptionsExpiry(options));
          }
          if (events.length === 0) {
            await this.processor!.idle(partitionContext);
            if (!this.gate) return;
          }
          const task = this.gate ? this.gate.receive(events, partitionContext) : this.processor!.process(events, partitionContext, signal);
          this.inFlight.add(task);
          try {
            await task;
          } finally {
            this.inFlight.delete(task);
          }
        },
        // Ownership lost or subscription closing: events held for the minimum batch are dropped
        // uncheckpointed (the next owner reads them again); on a graceful close pending
        // batchCheckpointFrequency work is checkpointed.
        processClose: async (reason, partitionContext) => {
          if (reason === 'OwnershipLost') this.lease?.release(partitionContext.partitionId);
          this.journal?.write({ k: 'close', t: Date.now(), fn, p: partitionContext.partitionId, reason });
          await this.gate?.close(partitionContext.partitionId);
          await this.processor?.close(partitionContext, reason);
        },
        processError: async (error, partitionContext) => {
          this.journal?.write({ k: 'error', t: Date.now(), fn, p: partitionContext.partitionId, message: toError(error).message });
          logger.log({ level: 'warning', functionName: registration.name, message: 'event hub receive error', fields: { partitionId: partitionContext.partitionId, error: toError(error).message } });
        },
      },
      {
        maxBatchSize: options.maxEventBatchSize,
        // Receives return ~20 ms after the first event arrives; this bounds waits on an empty partition.
        // minEventBatchSize / maxWaitTime are applied by the MinBatchGate, as the extension does.
        maxWaitTimeInSeconds: 5,
        prefetchCount: options.prefetchCount || undefined,
        startPosition: startPosition(options),
        skipParsingBodyAsJson: true,
      },
    );
    this.currentState = 'running';
  }

  /** Stop accepting, let in-flight batches finish and checkpoint, then close the subscription. */
  private async unsubscribe(): Promise<void> {
    this.accepting = false;
    await Promise.allSettled([...this.inFlight]);
    await this.gate?.close();
    await this.subscription?.close();
    this.subscription = undefined;
  }
}

const clientOptionsExpiry = (options: EventHubsHostOptions): number => parseTimeSpan(options.partitionOwnershipExpirationInterval, 'eventHubs.partitionOwnershipExpirationInterval');

/** When BlobCheckpointStore last wrote this partition's checkpoint (its blob's Last-Modified); undefined without one. */
async function lastCheckpointTime(container: ContainerClient, context: PartitionContext): Promise<Date | undefined> {
  const name = [context.fullyQualifiedNamespace, context.eventHubName, context.consumerGroup].map((p) => p.toLowerCase()).join('/');
  try {
    return (await container.getBlobClient(`${name}/checkpoint/${context.partitionId}`).getProperties()).lastModified;
  } catch {
    return undefined;
  }
}
