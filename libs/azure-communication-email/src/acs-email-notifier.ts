import { EmailClient, type EmailClientOptions, type EmailMessage } from '@azure/communication-email';
import type { TokenCredential } from '@azure/core-auth';
import { formatNoticeEmail, type BreakerNotice, type OperatorNotifier } from '@telemetry/breaker-rules';
import { PipelineError } from '@telemetry/core';

export interface AcsEmailNotifierOptions {
  /** ACS_ENDPOINT: the Communication Services resource, e.g. https://acs-x.unitedstates.communication.azure.com */
  endpoint: string;
  /**
   * The app's managed identity. The SDK asks it for a token for https://communication.azure.com
   * (`.default` scope) and sends it as a Bearer token; no access key is ever configured.
   */
  credential: TokenCredential;
  /** BREAKER_EMAIL_FROM: an address on a domain linked to the resource (e.g. DoNotReply@<guid>.azurecomm.net). */
  sender: string;
  /** BREAKER_EMAIL_TO */
  recipients: readonly string[];
  /** Client options (tests: a loopback endpoint's `agent`, fewer retries). */
  clientOptions?: EmailClientOptions;
  /** Poll interval for the send operation (ms); the service's retry-after wins when it sends one. */
  pollIntervalMs?: number;
}

/**
 * Sends breaker notices through Azure Communication Services Email (`POST /emails:send`, then
 * polls the operation until it succeeds or fails). The SDK retries 408/429/5xx and network errors
 * itself (honouring retry-after); what still fails becomes a coded error: 401/403/400 and a Failed
 * operation are permanent, the rest retryable (the breaker's activity retry tries again).
 */
export class AcsEmailNotifier implements OperatorNotifier {
  private readonly client: EmailClient;

  constructor(private readonly options: AcsEmailNotifierOptions) {
    this.client = new EmailClient(options.endpoint, options.credential, options.clientOptions ?? {});
  }

  async notify(notice: BreakerNotice): Promise<void> {
    const mail = formatNoticeEmail(notice);
    const message: EmailMessage = {
      senderAddress: this.options.sender,
      recipients: { to: this.options.recipients.map((address) => ({ address })) },
      content: { subject: mail.subject, plainText: mail.text, html: mail.html },
      // The mail carries a bearer link: no click-tracking redirect may rewrite or log it.
      disableUserEngagementTracking: true,
    };
    let poller;
    try {
      poller = await this.client.beginSend(message, { updateIntervalInMs: this.options.pollIntervalMs ?? 1_000 });
      await poller.pollUntilDone();
    } catch (error) {
      // core-lro throws a plain Error when the operation ends Failed/Canceled: the state says which.
      const state = poller?.getOperationState();
      if (state && (state.status === 'failed' || state.status === 'canceled')) throw operationError(state.status, error);
      throw toNotifyError(error);
    }
    const state = poller.getOperationState();
    if (state.status !== 'succeeded') throw operationError(state.status, state.error);
  }
}

/** A send the service accepted but could not deliver (e.g. rejected recipients): retrying will not help. */
function operationError(status: string, error: unknown): PipelineError {
  // core-lro words it "The long-running operation has failed. <code>. <message>": keep the code only.
  const code = /has failed\. ([A-Za-z0-9_]+)\./.exec((error as Error | undefined)?.message ?? '')?.[1];
  return new PipelineError('UNKNOWN', `ACS email operation ${status}${code ? ` (${code})` : ''}`, { retryable: false });
}

/** Only the status and the service's error code survive: messages may quote the request. */
function toNotifyError(error: unknown): PipelineError {
  const e = error as { statusCode?: number; code?: string; name?: string };
  const status = typeof e.statusCode === 'number' ? e.statusCode : undefined;
  if (status === undefined) return new PipelineError('UNKNOWN', `ACS email unreachable (${e.name ?? 'Error'}${e.code ? ` ${e.code}` : ''})`, { retryable: true });
  const retryable = status === 408 || status === 429 || status >= 500;
  return new PipelineError('UNKNOWN', `ACS email answered ${status}${e.code ? ` (${e.code})` : ''}`, { retryable });
}
