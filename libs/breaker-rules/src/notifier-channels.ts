import type { BreakerNotice, OperatorNotifier } from './breaker-notice';

/** One way of reaching the operators (e-mail, webhook), named for logs and the activity's result. */
export interface NotifierChannel {
  name: string;
  notifier: OperatorNotifier;
}

export interface ChannelOutcome {
  channel: string;
  delivered: boolean;
  /** The failure, when not delivered (its message never holds the link: adapters keep only status and code). */
  error?: unknown;
}

/**
 * Sends a notice on every channel, each independently: one failing channel does not keep the
 * notice from the others. The caller decides what a partial failure means (the breaker retries
 * the activity, so a channel that worked may repeat the notice: at-least-once per channel).
 */
export async function notifyAll(channels: readonly NotifierChannel[], notice: BreakerNotice): Promise<ChannelOutcome[]> {
  return Promise.all(channels.map(async ({ name, notifier }) => {
    try {
      await notifier.notify(notice);
      return { channel: name, delivered: true };
    } catch (error) {
      return { channel: name, delivered: false, error };
    }
  }));
}
