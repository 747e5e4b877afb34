import { matchesQuery, summaryOf, type ParkedCount, type ParkedLetter, type ParkedQuery, type ParkedSummary, type ParkingStore } from '../parking-store';

/** For unit tests of logic only. */
export class InMemoryParkingStore implements ParkingStore {
  readonly entries = new Map<string, ParkedLetter>();
  down = false;

  async park(entry: ParkedLetter): Promise<void> {
    if (this.down) throw new Error('parking store down (injected)');
    this.entries.set(`${entry.code}/${entry.id}`, structuredClone(entry));
  }
  async get(id: string): Promise<ParkedLetter | undefined> {
    return [...this.entries.values()].find((e) => e.id === id);
  }
  async *list(query: ParkedQuery = {}): AsyncIterable<ParkedSummary> {
    const all = [...this.entries.values()].map(summaryOf).filter((s) => matchesQuery(s, query));
    yield* all.slice(0, query.limit ?? all.length);
  }
  async remove(entry: { id: string; code: string }): Promise<void> {
    this.entries.delete(`${entry.code}/${entry.id}`);
  }
  async countByCode(): Promise<ParkedCount[]> {
    const counts = new Map<string, ParkedCount>();
    for (const e of this.entries.values()) {
      const c = counts.get(e.code) ?? { code: e.code, count: 0, oldestParkedAt: null, oldestFailedAt: null };
      c.count++;
      if (!c.oldestParkedAt || e.parkedAt < c.oldestParkedAt) c.oldestParkedAt = e.parkedAt;
      if (!c.oldestFailedAt || e.letter.failedAt < c.oldestFailedAt) c.oldestFailedAt = e.letter.failedAt;
      counts.set(e.code, c);
    }
    return [...counts.values()];
  }
}
