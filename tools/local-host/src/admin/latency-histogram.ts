/**
 * Latency samples in milliseconds with percentiles; keeps the most recent `capacity` samples in a
 * ring buffer (O(1) per sample: this runs once per event on the hot path).
 */
export class LatencyHistogram {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;
  private total = 0;

  constructor(private readonly capacity = 50_000) {
    this.samples = new Float64Array(capacity);
  }

  record(ms: number): void {
    this.total++;
    this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.capacity;
    if (this.filled < this.capacity) this.filled++;
  }

  get count(): number {
    return this.total;
  }

  reset(): void {
    this.next = 0;
    this.filled = 0;
    this.total = 0;
  }

  percentile(p: number): number | null {
    if (this.filled === 0) return null;
    const sorted = this.samples.slice(0, this.filled).sort();
    const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
    return sorted[index] ?? null;
  }

  summary(): { count: number; p50: number | null; p99: number | null; max: number | null } {
    if (this.filled === 0) return { count: this.total, p50: null, p99: null, max: null };
    const sorted = this.samples.slice(0, this.filled).sort();
    const at = (p: number): number => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
    return { count: this.total, p50: at(50), p99: at(99), max: sorted[sorted.length - 1]! };
  }
}
