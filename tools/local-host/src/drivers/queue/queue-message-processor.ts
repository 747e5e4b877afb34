import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { QueuesHostOptions } from '../../config/host-json';
import { toError } from '../../errors';
import type { FunctionExecutor } from '../../invocation/function-executor';
import type { Logger } from '../../logging/logger';
import { callStorage } from './storage-call-policy';
import { decodeMessage, queueInput, queueTriggerMetadata } from './queue-trigger-data';

export interface QueueMessageProcessorOptions {
  queue: QueueClient;
  /** `<queue>-poison`; none for a queue that is itself a poison queue or whose name cannot take the suffix (poisonQueueName). */
  poisonQueue: QueueClient | undefined;
  executor: FunctionExecutor;
  options: QueuesHostOptions;
  visibilityTimeoutMs: number;
  /** Visibility a message is received with; renewed at half time while the function runs. */
  leaseSeconds: number;
  dataType: unknown;
  logger: Logger;
}

/**
 * The poison queue of a queue, as the Storage Queues extension names it: `<name>-poison`, but none
 * for a queue whose name already ends in `-poison` or would pass 63 characters with the suffix
 * (QueueListenerFactory.CreatePoisonQueueReference). Such a queue never poisons anything.
 */
export function poisonQueueName(queueName: string): string | undefined {
  if (queueName.endsWith('-poison')) return undefined;
  const name = `${queueName}-poison`;
  return name.length <= 63 ? name : undefined;
}

/**
 * Runs the function for one message and settles it as the extension's QueueProcessor does: delete
 * on success; on failure release it (visible again after visibilityTimeout) or, at maxDequeueCount,
 * move it to `<queue>-poison`. A queue without a poison queue neither releases nor moves: a failed
 * message stays hidden for the rest of its lease, and one past maxDequeueCount is never run again
 * (it comes back at every lease's end until its time to live runs out).
 */
export class QueueMessageProcessor {
  private poisonCreated = false;

  constructor(private readonly o: QueueMessageProcessorOptions) {}

  async process(message: DequeuedMessageItem): Promise<void> {
    const { queue, options, logger } = this.o;
    const fields = { queueName: queue.name, messageId: message.messageId, dequeueCount: message.dequeueCount };
    if (message.dequeueCount > options.maxDequeueCount) {
      // Already past the limit (e.g. a crash mid-run): poison it without running.
      await this.poison(message, fields);
      return;
    }
    const body = decodeMessage(message.messageText, options.messageEncoding);
    if (body === undefined) {
      // The Storage Queues client's MessageDecodingFailed handler: the raw text goes to the poison
      // queue and the function never runs (QueueServiceClientProvider, CreateMessageDecodingFailedHandler).
      logger.log({ level: 'warning', message: 'queue message decoding failed (not base64); check messageEncoding', fields });
      await this.poison(message, fields);
      return;
    }
    let popReceipt = message.popReceipt;
    const renew = setInterval(() => {
      void callStorage((abortSignal) => queue.updateMessage(message.messageId, popReceipt, undefined, this.o.leaseSeconds, { abortSignal }))
        .then((r) => void (popReceipt = r.popReceipt ?? popReceipt))
        .catch((e: unknown) => logger.log({ level: 'warning', message: 'queue message lease renewal failed', fields: { ...fields, error: toError(e).message } }));
    }, (this.o.leaseSeconds * 1000) / 2);
    let ok = false;
    try {
      const outcome = await this.o.executor.execute({
        triggerData: queueInput(body, this.o.dataType),
        triggerMetadata: queueTriggerMetadata({ ...message, popReceipt }, body),
        reason: 'queue message',
      });
      ok = outcome.ok;
    } finally {
      clearInterval(renew);
    }
    if (ok) {
      await callStorage((abortSignal) => queue.deleteMessage(message.messageId, popReceipt, { abortSignal }));
    } else if (!this.o.poisonQueue) {
      // No poison queue: left hidden for its lease rather than released, so a failing message does
      // not spin (QueueProcessor.CompleteProcessingMessageAsync).
      logger.log({ level: 'warning', message: 'queue message failed; no poison queue, so it stays hidden for its lease', fields: { ...fields, leaseSeconds: this.o.leaseSeconds } });
    } else if (message.dequeueCount >= options.maxDequeueCount) {
      await this.poison({ ...message, popReceipt }, fields);
    } else {
      // Visible again after host.json visibilityTimeout; dequeueCount grows on the next receive.
      await callStorage((abortSignal) => queue.updateMessage(message.messageId, popReceipt, undefined, Math.round(this.o.visibilityTimeoutMs / 1000), { abortSignal }));
    }
  }

  private async poison(message: DequeuedMessageItem, fields: Record<string, unknown>): Promise<void> {
    const { poisonQueue, queue, logger } = this.o;
    if (!poisonQueue) {
      logger.log({ level: 'warning', message: 'queue message past maxDequeueCount or undecodable; no poison queue, so it stays hidden for its lease', fields });
      return;
    }
    if (!this.poisonCreated) {
      await callStorage((abortSignal) => poisonQueue.createIfNotExists({ abortSignal }));
      this.poisonCreated = true;
    }
    await callStorage((abortSignal) => poisonQueue.sendMessage(message.messageText, { abortSignal }));
    await callStorage((abortSignal) => queue.deleteMessage(message.messageId, message.popReceipt, { abortSignal }));
    logger.log({ level: 'warning', message: 'queue message moved to poison queue', fields: { ...fields, poisonQueue: poisonQueue.name } });
  }
}
