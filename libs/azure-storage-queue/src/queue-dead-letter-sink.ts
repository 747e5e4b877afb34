import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { bulkhead, TaskCancelledError, timeout, TimeoutStrategy, type RetryPolicy, type TimeoutPolicy } from 'cockatiel';
import { PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import { claimCheckBlobName, claimCheckSummary, encodeDeadLetter, MAX_QUEUE_MESSAGE_BYTES, type DeadLetter } from '@telemetry/contracts';
import type { DeadLetterSink } from '@telemetry/dead-letter';

export interface QueueDeadLetterSinkOptions {
  retry: RetryOptions;
  concurrency?: number;
  /**
   * Cap on one storage call (ms, default 10,000). The storage clients' own try timeout does not
   * end a request the network swallowed (seen with @azure/storage-queue 12.32 behind a black hole:
   * writes hung for good, and with them every batch that had a dead letter).
   */
  callTimeoutMs?: number;
}

/**
 * Dead letters on Azure Queue storage; a letter too big for a queue message is written whole to
 * a blob and the queue carries a claim-check summary. Messages never expire (TTL -1): the
 * service's 7-day default would silently drop dead letters nobody looked at in a week.
 */
export class QueueDeadLetterSink implements DeadLetterSink {
  private readonly retry: RetryPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    private readonly queue: QueueClient,
    private readonly claimChecks: ContainerClient,
    private readonly options: QueueDeadLetterSinkOptions,
  ) {
    this.retry = transientRetryPolicy(options.retry);
    this.timeout = timeout(options.callTimeoutMs ?? 10_000, TimeoutStrategy.Aggressive);
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
      await this.attempt((abortSignal) =>
        this.claimChecks.getBlockBlobClient(blobName).uploadData(json, { blobHTTPHeaders: { blobContentType: 'application/json' }, abortSignal }),
      );
      message = encodeDeadLetter(claimCheckSummary(letter, this.claimChecks.containerName, blobName, json.byteLength));
    }
    await this.attempt((abortSignal) => this.queue.sendMessage(message, { messageTimeToLive: -1, abortSignal }));
  }

  private attempt<T>(fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return this.retry.execute(async () => {
      try {
        return await this.timeout.execute(({ signal }) => fn(signal));
      } catch (error) {
        if (error instanceof TaskCancelledError) {
          throw new PipelineError('DEAD_LETTER_UNAVAILABLE', `dead-letter write exceeded ${this.options.callTimeoutMs ?? 10_000} ms`, { cause: error });
        }
        throw toPipelineError(error, 'dead-letter');
      }
    });
  }
}
