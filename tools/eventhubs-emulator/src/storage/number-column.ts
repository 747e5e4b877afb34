/**
 * A growable column of numbers addressed by an absolute index that starts at `base` and can
 * be dropped from the front (retention). 8 bytes per entry: a million events cost 8 MB.
 */
export class NumberColumn {
  private data = new Float64Array(1024);
  private start = 0;
  private length = 0;
  base = 0;

  get end(): number {
    return this.base + this.length;
  }

  push(value: number): void {
    if (this.start + this.length === this.data.length) {
      const live = this.data.subarray(this.start, this.start + this.length);
      const next = live.length * 2 > this.data.length ? new Float64Array(this.data.length * 2) : this.data;
      next.set(live, 0);
      this.data = next;
      this.start = 0;
    }
    this.data[this.start + this.length] = value;
    this.length++;
  }

  /** The value at absolute index `i` (caller keeps base <= i < end). */
  at(i: number): number {
    return this.data[this.start + i - this.base] as number;
  }

  /** Drops entries before absolute index `newBase`. */
  dropBefore(newBase: number): void {
    const drop = Math.min(Math.max(newBase - this.base, 0), this.length);
    this.start += drop;
    this.length -= drop;
    this.base += drop;
  }

  /** Resets to an empty column starting at `base`. */
  reset(base: number): void {
    this.start = 0;
    this.length = 0;
    this.base = base;
  }

  /** First absolute index whose value satisfies `pred` (values ascending), or `end`. */
  lowerBound(pred: (value: number) => boolean): number {
    let low = 0;
    let high = this.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (pred(this.data[this.start + mid] as number)) high = mid;
      else low = mid + 1;
    }
    return this.base + low;
  }
}
