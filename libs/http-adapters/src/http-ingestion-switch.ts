import { PipelineError } from '@telemetry/core';
import type { IngestionSwitch } from '@telemetry/breaker-rules';

export interface LocalHostSwitchOptions {
  /** The ingestion host's base URL (LOCAL_HOST_ADMIN_URL), e.g. http://127.0.0.1:7071. */
  adminUrl: string;
  /** The ingestion host's master key (LOCAL_HOST_MASTER_KEY). */
  masterKey: string;
  functionNames: readonly string[];
  timeoutMs?: number;
}

/**
 * Locally, pauses the Event Hubs trigger of the product's local host (tools/local-host admin API:
 * `POST /admin/functions/{name}/pause|resume`, master key). The host finishes and checkpoints the
 * in-flight batch, then stops taking work; resume continues from the checkpoints.
 */
export class LocalHostSwitch implements IngestionSwitch {
  readonly description: string;

  constructor(private readonly options: LocalHostSwitchOptions) {
    this.description = `local-host: ${new URL(options.adminUrl).origin} [${options.functionNames.join(', ')}]`;
  }

  pause(): Promise<void> {
    return this.each('pause');
  }

  resume(): Promise<void> {
    return this.each('resume');
  }

  private async each(action: 'pause' | 'resume'): Promise<void> {
    for (const name of this.options.functionNames) {
      const url = new URL(`/admin/functions/${encodeURIComponent(name)}/${action}`, this.options.adminUrl);
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'x-functions-key': this.options.masterKey },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        throw new PipelineError('UNKNOWN', `local host ${action} of ${name} failed: ${(error as Error).message}`, { cause: error, retryable: true });
      }
      await response.text();
      if (!response.ok) {
        throw new PipelineError('UNKNOWN', `local host ${action} of ${name} answered ${response.status}`, { retryable: response.status >= 500 });
      }
    }
  }
}
