import { availableParallelism } from 'node:os';
import { QueueServiceClient, type QueueClient } from '@azure/storage-queue';
import { parseTimeSpan } from '../../config/timespan';
import { toError } from '../../errors';
import { abortableDelay } from '../../invocation/abortable-delay';
import { connectionString } from '../connection-setting';
import { PollingBackoff } from '../polling-backoff';
import { PausableDriver } from '../pausable-driver';
import { poisonQueueName, QueueMessageProcessor } from './queue-message-processor';
import { callStorage } from './storage-call-policy';

/** Messages are received with 10 minutes of visibility (the host's lease), renewed at half time. */
const LEASE_SECONDS = 600;
const MIN_POLL_MS = 100;
/** How long a pause waits for a receive already sent (its answer may hold messages the service hid for us). */
const RECEIVE_GRACE_MS = 10_000;

/** queueTrigger: polls one storage queue (host.json `extensions.queues`). */
export class QueueDriver extends PausableDriver {
  readonly triggerType = 'queueTrigger';
  private queue?: QueueClient;
  private processor?: QueueMessageProcessor;
  private loop?: Promise<void>;
  private abort = new AbortController();
  /** Host shutdown: also cuts a receive in flight (a pause lets it finish, see poll). */
  private shutdown = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private warnedMissing = false;

  async start(): Promise<void> {
    const { registration, settings, hostJson, executor, logger } = this.context;
    const trigger = registration.trigger as { queueName?: string; connection?: string; dataType?: string };
    const queueName = settings.resolve(trigger.queueName ?? '', registration.name).toLowerCase();
    // The host's own retries (storage-call-policy.ts, as the Functions host's client retries), not the JS client's.
    const service = QueueServiceClient.fromConnectionString(connectionString(settings, trigger.connection, 'AzureWebJobsStorage', registration.name), { retryOptions: { maxTries: 1 } });
    this.queue = service.getQueueClient(queueName);
    const options = hostJson.extensions.queues;
    this.processor = new QueueMessageProcessor({
      queue: this.queue,
      poisonQueue: ((name) => (name === undefined ? undefined : service.getQueueClient(name)))(poisonQueueName(queueName)),
      executor,
      options,
      visibilityTimeoutMs: parseTimeSpan(options.visibilityTimeout, 'queues.visibilityTimeout'),
      leaseSeconds: LEASE_SECONDS,
      dataType: trigger.dataType,
      logger: logger.child({ functionName: registration.name }),
    });
    this.run();
  }

  async stop(): Promise<void> {
    this.shutdown.abort();
    await this.halt();
    this.currentState = 'stopped';
  }

  protected restart(): void {
    this.run();
  }

  private run(): void {
    this.abort = new AbortController();
    this.shutdown = new AbortController();
    this.currentState = 'running';
    this.loop = this.poll(this.abort.signal);
  }

  /**
   * Stops polling, then waits for in-flight messages to settle. A receive already sent may finish
   * and its messages are processed (see poll), for up to RECEIVE_GRACE_MS: a service that does not
   * answer is cut off then.
   */
  protected async halt(): Promise<void> {
    this.abort.abort();
    const cut = setTimeout(() => this.shutdown.abort(), RECEIVE_GRACE_MS);
    try {
      await this.loop;
    } finally {
      clearTimeout(cut);
    }
    await Promise.allSettled([...this.inFlight]);
  }

  private async poll(signal: AbortSignal): Promise<void> {
    const { hostJson, logger, registration } = this.context;
    const options = hostJson.extensions.queues;
    const maxPollMs = Math.max(MIN_POLL_MS, parseTimeSpan(options.maxPollingInterval, 'queues.maxPollingInterval'));
    const threshold = options.newBatchThreshold ?? Math.floor(options.batchSize / 2) * availableParallelism();
    const backoff = new PollingBackoff(MIN_POLL_MS, maxPollMs);
    const queue = this.queue!;
    while (!signal.aborted) {
      if (this.inFlight.size > threshold) {
        await Promise.race([...this.inFlight, new Promise((r) => signal.addEventListener('abort', r, { once: true }))]);
        continue;
      }
      let received: Awaited<ReturnType<QueueClient['receiveMessages']>>['receivedMessageItems'] = [];
      try {
        // A pause stops the retries but lets a receive already sent finish, and what it brought is
        // processed below: cut off, the service would still have hidden those messages for the
        // whole 10-minute lease with no one holding them. A shutdown cuts it (this.shutdown).
        received = (
          await callStorage((abortSignal) => queue.receiveMessages({ numberOfMessages: options.batchSize, visibilityTimeout: LEASE_SECONDS, abortSignal }), {
            signal,
            trySignal: this.shutdown.signal,
          })
        ).receivedMessageItems;
      } catch (thrown) {
        if (signal.aborted) break;
        const error = toError(thrown) as Error & { statusCode?: number };
        if (error.statusCode !== 404 || !this.warnedMissing) {
          logger.log({ level: 'warning', functionName: registration.name, message: 'queue poll failed', fields: { queueName: queue.name, error: error.message } });
          this.warnedMissing ||= error.statusCode === 404;
        }
      }
      if (received.length === 0) {
        await abortableDelay(backoff.next(), signal);
        continue;
      }
      backoff.reset();
      for (const message of received) {
        const task = this.processor!.process(message).catch((thrown: unknown) =>
          logger.log({ level: 'error', functionName: registration.name, message: 'queue message settlement failed', fields: { messageId: message.messageId, error: toError(thrown).message } }),
        );
        this.inFlight.add(task);
        void task.finally(() => this.inFlight.delete(task));
      }
    }
  }
}

