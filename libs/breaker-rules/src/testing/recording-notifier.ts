import type { BreakerNotice, OperatorNotifier } from '../breaker-notice';

export class RecordingNotifier implements OperatorNotifier {
  readonly notices: BreakerNotice[] = [];
  async notify(notice: BreakerNotice): Promise<void> {
    this.notices.push(notice);
  }
}
