/**
 * The host's randomized exponential back-off for empty polls: starts at `minMs`, roughly
 * doubles (+-20 % jitter) up to `maxMs`; `reset()` after a poll that found work.
 */
export class PollingBackoff {
  private current = 0;

  constructor(
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  next(): number {
    const base = this.current === 0 ? this.minMs : this.current * 2;
    const jittered = base * (0.8 + 0.4 * this.random());
    this.current = Math.min(this.maxMs, Math.max(this.minMs, jittered));
    return this.current;
  }

  reset(): void {
    this.current = 0;
  }
}
