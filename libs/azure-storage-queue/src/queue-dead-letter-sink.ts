import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { bulkhead, type RetryPolicy } from 'cockatiel';
import { PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import { claimCheckBlobName, claimCheckSummary, encodeDeadLetter, MAX_QUEUE_MESSAGE_BYTES, type DeadLetter } from '@telemetry/contracts';
import type { DeadLetterSink } from '@telemetry/dead-letter';

export interface QueueDeadLetterSinkOptions {
  retry: RetryOptions;
  concurrency?: number;
}

/**
 * Dead letters on Azure Queue storage; a letter too big for a queue message is written whole to
 * a blob and the queue carries a claim-check summary. Messages never expire (TTL -1): the
 * service's 7-day default would silently drop dead letters nobody looked at in a week.
 */
export class QueueDeadLetterSink implements DeadLetterSink {
  private readonly retry: RetryPolicy;

  constructor(
    private readonly queue: QueueClient,
    private readonly claimChecks: ContainerClient,
    private readonly options: QueueDeadLetterSinkOptions,
  ) {
    this.retry = transientRetryPolicy(options.retry);
  }

  async send(letters: DeadLetter[]): Promise<void> {
    const limiter = bulkhead(this.options.concurrency ?? 16, Number.POSITIVE_INFINITY);
    const results = await Promise.allSettled(letters.map((l) => limiter.execute(() => this.sendOne(l))));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length > 0) {
      throw new PipelineError('DEAD_LETTER_UNAVAILABLE', `${failed.length} of ${letters.length} dead letters could not be written`, {
        cause: failed[0]?.reason,
      });
    }
  }

  private async sendOne(letter: DeadLetter): Promise<void> {
    let message = encodeDeadLetter(letter);
    if (message.length > MAX_QUEUE_MESSAGE_BYTES) {
      // From the id alone: a retried batch overwrites its own blob instead of orphaning one.
      const blobName = claimCheckBlobName(letter.id);
      const json = Buffer.from(JSON.stringify(letter), 'utf8');
      await this.attempt(() =>
        this.claimChecks.getBlockBlobClient(blobName).uploadData(json, { blobHTTPHeaders: { blobContentType: 'application/json' } }),
      );
      message = encodeDeadLetter(claimCheckSummary(letter, this.claimChecks.containerName, blobName, json.byteLength));
    }
    await this.attempt(() => this.queue.sendMessage(message, { messageTimeToLive: -1 }));
  }

  private attempt<T>(fn: () => Promise<T>): Promise<T> {
    return this.retry.execute(async () => {
      try {
        return await fn();
      } catch (error) {
        throw toPipelineError(error, 'dead-letter');
      }
    });
  }
}
