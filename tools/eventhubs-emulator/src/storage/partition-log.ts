import { mkdir, open, readdir, readFile, rm, truncate, type FileHandle } from 'node:fs/promises';
import { decodeRecord, type StoredRecord } from './record';
import { parseSegmentFileName, segmentFileName, type Segment } from './segment';

export interface PartitionLogOptions {
  /** Roll to a new segment file once the active one reaches this many bytes. */
  segmentBytes: number;
  /**
   * fsync after each write before acknowledging. Off by default: a completed write() is in
   * the kernel page cache, which survives a kill -9 (or crash) of this process; only a
   * power loss or kernel crash can lose it. The emulator's promise is the former, and
   * fsync per batch would cap throughput at the disk's flush rate (often < 1,000/s).
   */
  fsync: boolean;
  onWarning?: (message: string, fields: Record<string, unknown>) => void;
}

/** A record seen while opening the log, to rebuild the in-memory index. */
export type RecoveredRecord = StoredRecord & { offset: number };

interface PendingWrite {
  buffers: Buffer[];
  bytes: number;
  count: number;
  firstSequence: number;
  firstOffset: number;
  lastEnqueuedMs: number;
  resolve: () => void;
  reject: (error: Error) => void;
}

/**
 * The on-disk append-only log of one partition: segment files of CRC-framed records.
 * Writes are queued and group-committed (one writev per drain); a write is acknowledged
 * once the kernel has it (see `fsync`). Opening drops a torn or corrupt tail.
 */
export class PartitionLog {
  private readonly segments: Segment[] = [];
  private active?: FileHandle;
  private queue: PendingWrite[] = [];
  private writing = false;
  private closed = false;

  private constructor(
    private readonly dir: string,
    private readonly options: PartitionLogOptions,
  ) {}

  /** Opens (or creates) the log in `dir`, calling `onRecord` for every intact record in order. */
  static async open(dir: string, options: PartitionLogOptions, onRecord: (record: RecoveredRecord) => void): Promise<PartitionLog> {
    await mkdir(dir, { recursive: true });
    const log = new PartitionLog(dir, options);
    const names = (await readdir(dir)).sort();
    const found = names.map((name) => parseSegmentFileName(dir, name)).filter((s): s is Segment => s !== undefined);
    let expectedSequence: number | undefined;
    let expectedOffset: number | undefined;
    for (let i = 0; i < found.length; i++) {
      const segment = found[i] as Segment;
      if (expectedSequence !== undefined && (segment.baseSequence !== expectedSequence || segment.baseOffset !== expectedOffset)) {
        // A gap means an earlier segment lost its tail: everything after it is unreachable.
        options.onWarning?.('segment does not continue the log; dropped', { path: segment.path, expectedSequence });
        await rm(segment.path, { force: true });
        continue;
      }
      const intact = await log.scan(segment, onRecord);
      log.segments.push(segment);
      expectedSequence = segment.baseSequence + segment.count;
      expectedOffset = segment.baseOffset + segment.size;
      if (!intact) {
        for (const later of found.slice(i + 1)) {
          options.onWarning?.('segment after a torn record dropped', { path: later.path });
          await rm(later.path, { force: true });
        }
        break;
      }
    }
    if (log.segments.length === 0) await log.createSegment(0, 0);
    else log.active = await open((log.segments.at(-1) as Segment).path, 'r+');
    return log;
  }

  /** Reads one segment; truncates it at the first torn or corrupt record. Returns false if it did. */
  private async scan(segment: Segment, onRecord: (record: RecoveredRecord) => void): Promise<boolean> {
    const data = await readFile(segment.path);
    let pos = 0;
    while (pos < data.length) {
      const result = decodeRecord(data, pos);
      const expected = segment.baseSequence + segment.count;
      if (result.kind !== 'record' || result.record.sequenceNumber !== expected) {
        const reason = result.kind === 'corrupt' ? result.reason : result.kind === 'incomplete' ? 'torn record' : 'sequence gap';
        this.options.onWarning?.('torn or corrupt tail dropped', { path: segment.path, position: pos, droppedBytes: data.length - pos, reason });
        await truncate(segment.path, pos);
        return false;
      }
      onRecord({ ...result.record, offset: segment.baseOffset + pos });
      segment.size = pos + result.length;
      segment.count++;
      segment.lastEnqueuedMs = result.record.enqueuedMs;
      pos += result.length;
    }
    return true;
  }

  private async createSegment(baseSequence: number, baseOffset: number): Promise<void> {
    const name = segmentFileName(baseSequence, baseOffset);
    const segment = parseSegmentFileName(this.dir, name) as Segment;
    const previous = this.active;
    this.active = await open(segment.path, 'w+');
    this.segments.push(segment);
    await previous?.close();
  }

  private get activeSegment(): Segment {
    return this.segments.at(-1) as Segment;
  }

  get firstSequence(): number {
    return (this.segments[0] as Segment).baseSequence;
  }

  /** Sequence number and offset the next record gets. */
  get endSequence(): number {
    return this.activeSegment.baseSequence + this.activeSegment.count;
  }

  get endOffset(): number {
    return this.activeSegment.baseOffset + this.activeSegment.size;
  }

  get totalBytes(): number {
    return this.segments.reduce((sum, s) => sum + s.size, 0);
  }

  /**
   * Queues framed records (whose first sequence number and offset continue the log) and
   * resolves once they are written. Writes happen in call order.
   */
  append(buffers: Buffer[], count: number, firstSequence: number, firstOffset: number, lastEnqueuedMs: number): Promise<void> {
    if (this.closed) return Promise.reject(new Error('partition log is closed'));
    let bytes = 0;
    for (const buffer of buffers) bytes += buffer.length;
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ buffers, bytes, count, firstSequence, firstOffset, lastEnqueuedMs, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        const first = batch[0] as PendingWrite;
        if (this.activeSegment.size >= this.options.segmentBytes) await this.createSegment(first.firstSequence, first.firstOffset);
        const segment = this.activeSegment;
        const handle = this.active as FileHandle;
        let buffers = batch.flatMap((w) => w.buffers);
        let position = segment.size;
        // writev may write less than asked (rare for files); continue from where it stopped.
        for (;;) {
          const wanted = buffers.reduce((sum, b) => sum + b.length, 0);
          const { bytesWritten } = await handle.writev(buffers, position);
          if (bytesWritten >= wanted) break;
          const rest = Buffer.concat(buffers).subarray(bytesWritten);
          buffers = [rest];
          position += bytesWritten;
        }
        if (this.options.fsync) await handle.datasync();
        for (const write of batch) {
          segment.size += write.bytes;
          segment.count += write.count;
          segment.lastEnqueuedMs = write.lastEnqueuedMs;
        }
        for (const write of batch) write.resolve();
      } catch (error) {
        // Later queued writes were numbered after these: fail them too; the owner resets.
        const failed = [...batch, ...this.queue];
        this.queue = [];
        const reason = error instanceof Error ? error : new Error(String(error));
        for (const write of failed) write.reject(reason);
        await truncate(this.activeSegment.path, this.activeSegment.size).catch(() => undefined);
      }
    }
    this.writing = false;
  }

  /**
   * Reads whole records from `offset` (the start of the record with `sequenceNumber`),
   * at most `maxBytes` (but always at least one record) and never past one segment.
   */
  async read(sequenceNumber: number, offset: number, maxBytes: number, recordBytes: number): Promise<StoredRecord[]> {
    const segment = this.segmentFor(sequenceNumber);
    if (!segment) return [];
    const position = offset - segment.baseOffset;
    const length = Math.min(segment.size - position, Math.max(maxBytes, recordBytes));
    if (length <= 0) return [];
    const buffer = Buffer.allocUnsafe(length);
    const handle = await open(segment.path, 'r');
    try {
      await handle.read(buffer, 0, length, position);
    } finally {
      await handle.close();
    }
    const records: StoredRecord[] = [];
    let pos = 0;
    for (;;) {
      const result = decodeRecord(buffer, pos);
      if (result.kind !== 'record') break;
      records.push(result.record);
      pos += result.length;
    }
    return records;
  }

  private segmentFor(sequenceNumber: number): Segment | undefined {
    let low = 0;
    let high = this.segments.length - 1;
    let found: Segment | undefined;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = this.segments[mid] as Segment;
      if (segment.baseSequence <= sequenceNumber) {
        found = segment;
        low = mid + 1;
      } else {
        high = mid - 1;
      }
    }
    return found && sequenceNumber < found.baseSequence + found.count ? found : undefined;
  }

  /**
   * Deletes whole segments older than `cutoffMs` or beyond `maxBytes` (oldest first).
   * The active segment is rolled first when it is itself expired, so the log keeps its
   * position. Returns the first sequence number still stored.
   */
  async applyRetention(cutoffMs: number | undefined, maxBytes: number | undefined): Promise<number> {
    if (this.writing || this.closed) return this.firstSequence;
    // Holding the write lock: appends queue up meanwhile and are drained after.
    this.writing = true;
    try {
      const active = this.activeSegment;
      const expiredActive = cutoffMs !== undefined && active.count > 0 && active.lastEnqueuedMs < cutoffMs;
      if (expiredActive) await this.createSegment(this.endSequence, this.endOffset);
      let total = this.totalBytes;
      while (this.segments.length > 1) {
        const oldest = this.segments[0] as Segment;
        const expired = cutoffMs !== undefined && oldest.lastEnqueuedMs < cutoffMs;
        const oversize = maxBytes !== undefined && total > maxBytes;
        if (!expired && !oversize) break;
        this.segments.shift();
        total -= oldest.size;
        await rm(oldest.path, { force: true });
      }
    } finally {
      this.writing = false;
      if (this.queue.length > 0) void this.drain();
    }
    return this.firstSequence;
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.writing) await new Promise((resolve) => setImmediate(resolve));
    await this.active?.close();
    this.active = undefined;
  }
}
