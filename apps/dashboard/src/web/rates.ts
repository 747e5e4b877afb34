export interface RateSample {
  /** ms since epoch (the summary's generatedAt). */
  at: number;
  enqueued: number;
  processed: number;
}

export interface Rate {
  at: number;
  inPerSecond: number;
  processedPerSecond: number;
}

/**
 * Events in/s and processed/s from successive summaries: the change in the hub's enqueued total
 * (sum of last sequence numbers + 1) and in ingestion's checkpointed total over the time between
 * them. Processed = applied to Cosmos or dead-lettered; counters going back (a new hub) reset.
 */
export class RateTracker {
  private last: RateSample | undefined;
  private readonly history: Rate[] = [];
  constructor(private readonly keep = 90) {}

  add(sample: RateSample): Rate | undefined {
    const previous = this.last;
    this.last = sample;
    if (!previous || sample.at <= previous.at || sample.enqueued < previous.enqueued || sample.processed < previous.processed) return undefined;
    const seconds = (sample.at - previous.at) / 1000;
    const rate = { at: sample.at, inPerSecond: (sample.enqueued - previous.enqueued) / seconds, processedPerSecond: (sample.processed - previous.processed) / seconds };
    this.history.push(rate);
    if (this.history.length > this.keep) this.history.shift();
    return rate;
  }

  rates(): readonly Rate[] {
    return this.history;
  }
}
