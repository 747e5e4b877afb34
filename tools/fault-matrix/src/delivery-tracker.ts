import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { parseJournal, type DeliveryJournalRecord, type SequenceRanges } from '@telemetry/local-host';

/** One invocation of the function as its host's delivery journal recorded it. */
export interface JournalInvocation {
  /** Pid of the host process (journal file `<function>.<pid>.<ms>.ndjson`). */
  pid: number;
  inv: string;
  partitionId: string;
  seq: SequenceRanges;
  events: number;
  startedAt: number;
  retry: number;
  /** Absent: started and never returned (the host was killed inside it). */
  ended?: { ok: boolean; at: number };
}

/** Exact delivery figures over every host instance since `start` (see the README's Accounting). */
export interface DeliveryCounts {
  /** Invocations begun (each retry of a batch is one). */
  invocations: number;
  /** Events over all invocations: one delivery per event per invocation whose batch held it. */
  deliveries: number;
  /** Distinct events delivered, by (partition, sequence number). */
  distinctEvents: number;
  /** deliveries - distinctEvents: exact, not a lower bound. */
  duplicates: number;
  /** Distinct events delivered more than once. */
  redeliveredEvents: number;
  /** Invocations that were retries of a batch, and those that threw. */
  retries: number;
  failedInvocations: number;
  /** Invocations begun and never returned: a kill landed inside them. */
  unfinishedInvocations: number;
  /** Partitions opened by a host (claims, reclaims) and receive errors the consumers reported. */
  partitionOpens: number;
  receiveErrors: number;
}

/** Per-partition delivery counts indexed by sequence number - base (grows as needed). */
class PartitionCounts {
  private base = -1;
  private counts = new Uint16Array(0);

  add(first: number, last: number): void {
    if (this.base < 0) this.base = first;
    if (first < this.base) {
      const grown = new Uint16Array(this.counts.length + (this.base - first));
      grown.set(this.counts, this.base - first);
      this.counts = grown;
      this.base = first;
    }
    const need = last - this.base + 1;
    if (need > this.counts.length) {
      const grown = new Uint16Array(Math.max(need, this.counts.length * 2, 1024));
      grown.set(this.counts);
      this.counts = grown;
    }
    for (let s = first; s <= last; s++) this.counts[s - this.base]!++;
  }

  get(seq: number): number {
    return this.base < 0 || seq < this.base ? 0 : (this.counts[seq - this.base] ?? 0);
  }

  tally(): { distinct: number; repeated: number } {
    let distinct = 0;
    let repeated = 0;
    for (const c of this.counts) {
      if (c > 0) distinct++;
      if (c > 1) repeated++;
    }
    return { distinct, repeated };
  }
}

/**
 * Exact deliveries to the Event Hubs function, read from the local host's delivery journals
 * (app setting LOCAL_HOST_DELIVERY_LOG_DIR, one file per host process): every invocation's
 * (partition, sequence numbers), across hosts, kills and restarts. An invocation cut short by a
 * SIGKILL is in the journal too (its `start` is written before the function runs).
 */
export class DeliveryTracker {
  private offsets = new Map<string, number>();
  private readonly byInv = new Map<string, JournalInvocation>();
  private readonly invocations: JournalInvocation[] = [];
  private readonly partitions = new Map<string, PartitionCounts>();
  private deliveries = 0;
  private opens = 0;
  private errors = 0;

  constructor(readonly dir: string) {}

  /** Counts from now on: what the journals hold so far belongs to earlier scenarios. (Hosts: unused, kept for callers.) */
  async start(_hosts?: unknown[]): Promise<void> {
    this.offsets = new Map();
    for (const file of await this.files()) this.offsets.set(file, (await stat(file)).size);
    this.byInv.clear();
    this.invocations.length = 0;
    this.partitions.clear();
    this.deliveries = this.opens = this.errors = 0;
  }

  /** Reads what the journals gained since the last read (new host processes from their start). */
  async refresh(_hosts?: unknown[]): Promise<void> {
    for (const file of await this.files()) {
      const from = this.offsets.get(file) ?? 0;
      const handle = await open(file);
      try {
        const { size } = await handle.stat();
        if (size <= from) continue;
        const bytes = Buffer.alloc(size - from);
        await handle.read(bytes, 0, bytes.length, from);
        const { records, consumed } = parseJournal(bytes);
        this.offsets.set(file, from + consumed);
        const pid = Number(path.basename(file).split('.').at(-3));
        for (const r of records) this.apply(pid, r);
      } finally {
        await handle.close();
      }
    }
  }

  /** Deliveries since start (events over invocations begun). */
  total(): number {
    return this.deliveries;
  }

  counts(): DeliveryCounts {
    let distinct = 0;
    let repeated = 0;
    for (const p of this.partitions.values()) {
      const t = p.tally();
      distinct += t.distinct;
      repeated += t.repeated;
    }
    return {
      invocations: this.invocations.length,
      deliveries: this.deliveries,
      distinctEvents: distinct,
      duplicates: this.deliveries - distinct,
      redeliveredEvents: repeated,
      retries: this.invocations.filter((i) => i.retry > 0).length,
      failedInvocations: this.invocations.filter((i) => i.ended && !i.ended.ok).length,
      unfinishedInvocations: this.invocations.filter((i) => !i.ended).length,
      partitionOpens: this.opens,
      receiveErrors: this.errors,
    };
  }

  /** Invocations seen since start, in journal order (optionally of one host process). */
  list(pid?: number): JournalInvocation[] {
    return pid === undefined ? [...this.invocations] : this.invocations.filter((i) => i.pid === pid);
  }

  /** How many times this event was delivered since start. */
  deliveriesOf(partitionId: string, sequenceNumber: number): number {
    return this.partitions.get(partitionId)?.get(sequenceNumber) ?? 0;
  }

  private apply(pid: number, r: DeliveryJournalRecord): void {
    if (r.k === 'start') {
      const events = r.seq.reduce((n, [a, b]) => n + b - a + 1, 0);
      const inv: JournalInvocation = { pid, inv: r.inv, partitionId: r.p, seq: r.seq, events, startedAt: r.t, retry: r.retry };
      this.byInv.set(r.inv, inv);
      this.invocations.push(inv);
      this.deliveries += events;
      let counts = this.partitions.get(r.p);
      if (!counts) this.partitions.set(r.p, (counts = new PartitionCounts()));
      for (const [a, b] of r.seq) counts.add(a, b);
    } else if (r.k === 'end') {
      const inv = this.byInv.get(r.inv);
      if (inv) inv.ended = { ok: r.ok, at: r.t };
    } else if (r.k === 'open') {
      this.opens++;
    } else if (r.k === 'error') {
      this.errors++;
    }
  }

  private async files(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    return names.filter((n) => n.endsWith('.ndjson')).sort().map((n) => path.join(this.dir, n));
  }
}
