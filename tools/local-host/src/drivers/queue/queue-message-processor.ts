import type { DequeuedMessageItem, QueueClient } from '@azure/storage-queue';
import type { QueuesHostOptions } from '../../config/host-json';
import { toError } from '../../errors';
import type { FunctionExecutor } from '../../invocation/function-executor';
import type { Logger } from '../../logging/logger';
import { callStorage } from './storage-call-policy';
import { decodeMessage, queueInput, queueTriggerMetadata } from './queue-trigger-data';

export interface QueueMessageProcessorOptions {
  queue: QueueClient;
  poisonQueue: QueueClient;
  executor: FunctionExecutor;
  options: QueuesHostOptions;
  visibilityTimeoutMs: number;
  /** Visibility a message is received with; renewed at half time while the function runs. */
  leaseSeconds: number;
  dataType: unknown;
  logger: Logger;
}

/** Runs the function for one message and settles it: delete, release, or move to `<queue>-poison`. */
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
    let popReceipt = message.popReceipt;
    const renew = setInterval(() => {
      void callStorage((abortSignal) => queue.updateMessage(message.messageId, popReceipt, undefined, this.o.leaseSeconds, { abortSignal }))
        .then((r) => void (popReceipt = r.popReceipt ?? popReceipt))
        .catch((e: unknown) => logger.log({ level: 'warning', message: 'queue message lease renewal failed', fields: { ...fields, error: toError(e).message } }));
    }, (this.o.leaseSeconds * 1000) / 2);
    let ok = false;
    try {
      const body = decodeMessage(message.messageText, options.messageEncoding);
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
    } else if (message.dequeueCount >= options.maxDequeueCount) {
      await this.poison({ ...message, popReceipt }, fields);
    } else {
      // Visible again after host.json visibilityTimeout; dequeueCount grows on the next receive.
      await callStorage((abortSignal) => queue.updateMessage(message.messageId, popReceipt, undefined, Math.round(this.o.visibilityTimeoutMs / 1000), { abortSignal }));
    }
  }

  private async poison(message: DequeuedMessageItem, fields: Record<string, unknown>): Promise<void> {
    const { poisonQueue, queue, logger } = this.o;
    if (!this.poisonCreated) {
      await callStorage((abortSignal) => poisonQueue.createIfNotExists({ abortSignal }));
      this.poisonCreated = true;
    }
    await callStorage((abortSignal) => poisonQueue.sendMessage(message.messageText, { abortSignal }));
    await callStorage((abortSignal) => queue.deleteMessage(message.messageId, message.popReceipt, { abortSignal }));
    logger.log({ level: 'warning', message: 'queue message moved to poison queue', fields: { ...fields, poisonQueue: poisonQueue.name } });
  }
}
