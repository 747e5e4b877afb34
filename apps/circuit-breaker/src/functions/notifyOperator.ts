import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import type { BreakerNotice } from '@telemetry/breaker-rules';
import { approvalLink, statusLink } from '../approval-link';
import type { NotifyInput } from '../episode-contract';
import { NOTIFY_OPERATOR_ACTIVITY } from '../names';
import { breakerServices, type BreakerServices } from '../services';

/**
 * Activity: tell the operator. The signed link is minted here, never in the orchestration, so
 * no usable token is stored in the task hub's history.
 */
export function createNotifyOperator(services: () => BreakerServices) {
  return async (input: unknown, _context: InvocationContext): Promise<{ delivered: boolean }> => {
    const s = services();
    const n = input as NotifyInput;
    const notice: BreakerNotice = {
      kind: n.kind, episode: n.episode, at: n.at, reason: n.reason, counts: n.counts,
      target: s.ingestion.description, statusUrl: statusLink(s),
    };
    if (n.switch) notice.switch = n.switch;
    if (n.nonce && n.expiresAt) {
      notice.approveUrl = approvalLink(s, { instanceId: n.instanceId, episode: n.episode, nonce: n.nonce, expiresAt: n.expiresAt });
      notice.expiresAt = n.expiresAt;
    }
    const fields = { kind: n.kind, episode: n.episode, reason: n.reason, counts: n.counts };
    if (!s.settings.BREAKER_WEBHOOK_URL) {
      s.logger.warn('breaker notice not sent: BREAKER_WEBHOOK_URL is not set (the link is on the status endpoint)', fields);
      return { delivered: false };
    }
    await s.notifier.notify(notice);
    s.logger.info('breaker notice sent', fields);
    return { delivered: true };
  };
}

df.app.activity(NOTIFY_OPERATOR_ACTIVITY, { handler: createNotifyOperator(breakerServices) });
