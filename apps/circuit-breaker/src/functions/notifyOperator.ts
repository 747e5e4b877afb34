import * as df from 'durable-functions';
import type { InvocationContext } from '@azure/functions';
import { notifyAll, type BreakerNotice } from '@telemetry/breaker-rules';
import { toPipelineError } from '@telemetry/core';
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
    if (n.trigger) notice.trigger = n.trigger;
    if (n.nonce && n.expiresAt) {
      notice.approveUrl = approvalLink(s, { instanceId: n.instanceId, episode: n.episode, nonce: n.nonce, expiresAt: n.expiresAt });
      notice.expiresAt = n.expiresAt;
    }
    const fields = { kind: n.kind, episode: n.episode, reason: n.reason, counts: n.counts };
    if (s.notifiers.length === 0) {
      s.logger.warn('breaker notice not sent: no channel configured (BREAKER_EMAIL_TRANSPORT, BREAKER_WEBHOOK_URL): nobody receives the signed resume link; only operators on BREAKER_OPERATORS, signed in, can approve from the status endpoint\'s approval.page', fields);
      return { delivered: false };
    }
    const outcomes = await notifyAll(s.notifiers, notice);
    for (const o of outcomes) {
      if (o.delivered) s.logger.info('breaker notice sent', { ...fields, channel: o.channel });
      else s.logger.error('breaker notice failed', { ...fields, channel: o.channel, errorCode: toPipelineError(o.error).code, error: toPipelineError(o.error).message });
    }
    // A failed channel fails the activity, so the orchestration's retry policy tries again (every
    // channel: at-least-once, an operator may get a notice twice rather than miss the link).
    const failed = outcomes.filter((o) => !o.delivered);
    if (failed.length > 0) throw toPipelineError(failed[0]!.error);
    return { delivered: true };
  };
}

df.app.activity(NOTIFY_OPERATOR_ACTIVITY, { handler: createNotifyOperator(breakerServices) });
