export type DurableClockMode = 'real' | 'manual';

interface Scheduled {
  at: number;
  fire: () => void;
  handle?: NodeJS.Timeout;
}

/** Longest setTimeout Node accepts (~24.8 days); longer waits re-arm. */
const MAX_TIMEOUT_MS = 2_147_483_647;

/**
 * The clock Durable timers run on. `real`: wall time. `manual` (tests): time stands still at the
 * host's start until `advance(ms)` (admin `POST /admin/durable/clock/advance?ms=`) moves it, firing
 * every timer that comes due. Orchestrations see it as `currentUtcDateTime`.
 */
export class DurableClock {
  private offsetMs = 0;
  private readonly frozenAt = Date.now();
  private readonly scheduled = new Set<Scheduled>();

  constructor(readonly mode: DurableClockMode) {}

  now(): number {
    return this.mode === 'manual' ? this.frozenAt + this.offsetMs : Date.now();
  }

  /** Calls `fire` once `now() >= at`; returns a cancel function. */
  schedule(at: number, fire: () => void): () => void {
    const entry: Scheduled = { at, fire };
    this.scheduled.add(entry);
    this.arm(entry);
    return () => this.cancel(entry);
  }

  /** Manual clock only: moves time forward and fires what came due (in due order). */
  advance(ms: number): number {
    if (this.mode !== 'manual') throw new Error('the durable clock is real time; set LOCAL_DURABLE_CLOCK=manual to advance it');
    if (!Number.isFinite(ms) || ms < 0) throw new Error(`cannot advance the clock by ${ms} ms`);
    this.offsetMs += ms;
    const due = [...this.scheduled].filter((e) => e.at <= this.now()).sort((a, b) => a.at - b.at);
    for (const entry of due) this.fireNow(entry);
    return this.now();
  }

  stop(): void {
    for (const entry of this.scheduled) clearTimeout(entry.handle);
    this.scheduled.clear();
  }

  private arm(entry: Scheduled): void {
    const wait = entry.at - this.now();
    if (wait <= 0) {
      entry.handle = setTimeout(() => this.fireNow(entry), 0);
      return;
    }
    if (this.mode === 'manual') return; // fired by advance()
    entry.handle = setTimeout(() => (entry.at - this.now() <= 0 ? this.fireNow(entry) : this.arm(entry)), Math.min(wait, MAX_TIMEOUT_MS));
  }

  private fireNow(entry: Scheduled): void {
    if (!this.scheduled.delete(entry)) return;
    clearTimeout(entry.handle);
    entry.fire();
  }

  private cancel(entry: Scheduled): void {
    clearTimeout(entry.handle);
    this.scheduled.delete(entry);
  }
}
