import { PipelineError } from '@telemetry/core';
import type { IngestionSwitch } from '@telemetry/breaker-rules';

export interface HttpIngestionSwitchOptions {
  /**
   * The control endpoint (INGESTION_SWITCH_URL): `POST <url>/<function>/pause|resume` stops or
   * restarts one function's trigger, e.g. a host admin API's `.../admin/functions`.
   */
  url: string;
  /** Sent as x-functions-key (INGESTION_SWITCH_KEY). A secret: never logged. */
  key: string;
  functionNames: readonly string[];
  timeoutMs?: number;
}

/**
 * Pauses and resumes the ingestion trigger through an HTTP control endpoint. The endpoint is
 * expected to finish and checkpoint the in-flight batch before it answers a pause; resume
 * continues from the checkpoints. (The local stack points it at its Functions host's admin API.)
 */
export class HttpIngestionSwitch implements IngestionSwitch {
  readonly description: string;

  constructor(private readonly options: HttpIngestionSwitchOptions) {
    this.description = `http: ${new URL(options.url).origin} [${options.functionNames.join(', ')}]`;
  }

  pause(): Promise<void> {
    return this.each('pause');
  }

  resume(): Promise<void> {
    return this.each('resume');
  }

  private async each(action: 'pause' | 'resume'): Promise<void> {
    const base = this.options.url.replace(/\/+$/, '');
    for (const name of this.options.functionNames) {
      const url = `${base}/${encodeURIComponent(name)}/${action}`;
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'x-functions-key': this.options.key },
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 60_000),
        });
      } catch (error) {
        throw new PipelineError('UNKNOWN', `ingestion switch ${action} of ${name} failed: ${(error as Error).message}`, { cause: error, retryable: true });
      }
      await response.text();
      if (!response.ok) {
        throw new PipelineError('UNKNOWN', `ingestion switch ${action} of ${name} answered ${response.status}`, { retryable: response.status >= 500 });
      }
    }
  }
}
