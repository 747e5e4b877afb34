import type { ContainerClient } from '@azure/storage-blob';
import type { QueueClient } from '@azure/storage-queue';
import { TaskCancelledError, timeout, TimeoutStrategy, type RetryPolicy, type TimeoutPolicy } from 'cockatiel';
import { executeWithRetries, PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import { claimCheckBlobName, claimCheckSummary, encodeDeadLetter, MAX_QUEUE_MESSAGE_BYTES, type DeadLetter } from '@telemetry/contracts';
import { resolveDeadLetter } from './resolve-dead-letter';
import { MAX_VISIBILITY_SECONDS, type DeadLetterQueue } from '@telemetry/reprocessing';

/**
 * The dead-letter queue on Azure Queue storage plus its claim-check container (the same
 * resources apps/ingestion writes). Messages never expire (TTL -1), as the ingestion sink's.
 */
export class StorageDeadLetterQueue implements DeadLetterQueue {
  private readonly retry: RetryPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    readonly queue: QueueClient,
    readonly claimChecks: ContainerClient,
    retry: RetryOptions = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 2_000 },
    /**
     * Cap on one storage call (ms). The storage clients' own try timeout does not end a request
     * the network swallowed (a black hole): without it a re-enqueue hangs its invocation until
     * the message's lease runs out.
     */
    private readonly callTimeoutMs = 10_000,
  ) {
    this.retry = transientRetryPolicy(retry);
    this.timeout = timeout(callTimeoutMs, TimeoutStrategy.Aggressive);
  }

  async enqueue(letter: DeadLetter, options: { delaySeconds?: number } = {}): Promise<void> {
    let message = encodeDeadLetter(letter);
    if (message.length > MAX_QUEUE_MESSAGE_BYTES) {
      // A distinct blob per redrive: a corrected body never overwrites the original claim check.
      const blobName = claimCheckBlobName(letter.id, letter.redrive?.count);
      const json = Buffer.from(JSON.stringify(letter), 'utf8');
      await this.attempt((abortSignal) =>
        this.claimChecks.getBlockBlobClient(blobName).uploadData(json, { blobHTTPHeaders: { blobContentType: 'application/json' }, abortSignal }),
      );
      message = encodeDeadLetter(claimCheckSummary(letter, this.claimChecks.containerName, blobName, json.byteLength));
    }
    const visibilityTimeout = Math.min(MAX_VISIBILITY_SECONDS, Math.max(0, Math.round(options.delaySeconds ?? 0)));
    await this.attempt((abortSignal) => this.queue.sendMessage(message, { messageTimeToLive: -1, visibilityTimeout, abortSignal }));
  }

  async resolve(letter: DeadLetter): Promise<DeadLetter> {
    if (!letter.claimCheck) return letter;
    const full = await this.attempt(() => resolveDeadLetter(letter, this.claimChecks));
    // The summary's reprocess/redrive state is newer than the blob's copy.
    return { ...full, ...(letter.reprocess ? { reprocess: letter.reprocess } : {}), ...(letter.redrive ? { redrive: letter.redrive } : {}) };
  }

  private attempt<T>(fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return executeWithRetries(this.retry, async () => {
      try {
        return await this.timeout.execute(({ signal }) => fn(signal));
      } catch (error) {
        if (error instanceof TaskCancelledError) {
          throw new PipelineError('STORE_TIMEOUT', `dead-letter queue call exceeded ${this.callTimeoutMs} ms`, { cause: error, stage: 'reprocess' });
        }
        throw toPipelineError(error, 'reprocess');
      }
    });
  }
}
