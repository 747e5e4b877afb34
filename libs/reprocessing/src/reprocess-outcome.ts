/** What the reprocessor did with one queue message. */
export type ReprocessOutcome =
  | { action: 'applied'; deadLetterId: string; code: string; status: 'written' | 'unchanged' }
  | { action: 'parked'; deadLetterId: string; code: string; reason: string; attempts: number }
  | { action: 'retry-scheduled'; deadLetterId: string; code: string; attempts: number; delaySeconds: number; lastErrorCode: string }
  | { action: 'deferred'; deadLetterId: string; code: string; delaySeconds: number };

export type ReprocessAction = ReprocessOutcome['action'];
