/** Latency samples in milliseconds with percentiles; keeps the most recent `capacity` samples. */
export class LatencyHistogram {
  private readonly samples: number[] = [];
  private total = 0;

  constructor(private readonly capacity = 50_000) {}

  record(ms: number): void {
    this.total++;
    this.samples.push(ms);
    if (this.samples.length > this.capacity) this.samples.shift();
  }

  get count(): number {
    return this.total;
  }

  percentile(p: number): number | null {
    if (this.samples.length === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index] ?? null;
  }

  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    return { count: this.total, p50: this.percentile(50), p99: this.percentile(99), max: this.samples.length ? Math.max(...this.samples) : null };
  }
}
