import { buildEventRecord, type EventMessage } from '../amqp/event-message';
import type { IncomingEvent } from '../amqp/incoming-events';
import { NumberColumn } from './number-column';
import { PartitionLog, type PartitionLogOptions } from './partition-log';

export interface PartitionOptions extends PartitionLogOptions {
  /** Bytes of recent events kept in memory per partition, so consumers rarely read disk. */
  cacheBytes: number;
  /** Records read from disk per read call (bytes). */
  readChunkBytes: number;
}

export interface PartitionProperties {
  beginningSequenceNumber: number;
  lastEnqueuedSequenceNumber: number;
  lastEnqueuedOffset: number;
  lastEnqueuedMs: number;
  isEmpty: boolean;
}

/** Where a consumer starts, as parsed from the receive link's selector filter. */
export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number; inclusive: boolean }
  | { kind: 'sequence'; sequenceNumber: number; inclusive: boolean }
  | { kind: 'enqueued'; ms: number; inclusive: boolean };

/**
 * One partition: numbers events, appends them to its log, and serves reads from an
 * in-memory index (offset and time per sequence number) plus a cache of recent events.
 * Events become visible to consumers only once their write completed.
 */
export class Partition {
  /** Next sequence number / offset to assign (includes writes in flight). */
  private nextSequence = 0;
  private nextOffset = 0;
  /** Next sequence number / offset after the last durable event. */
  private committedSequence = 0;
  private committedOffset = 0;
  private lastEnqueuedMs = 0;
  private readonly offsets = new NumberColumn();
  private readonly times = new NumberColumn();
  private cache: EventMessage[] = [];
  private cacheHead = 0;
  private cacheStart = 0;
  private cacheBytes = 0;
  private readonly listeners = new Set<() => void>();

  private constructor(
    readonly id: string,
    private readonly options: PartitionOptions,
    private log: PartitionLog,
  ) {}

  static async open(id: string, dir: string, options: PartitionOptions): Promise<Partition> {
    const offsets: number[] = [];
    const times: number[] = [];
    const log = await PartitionLog.open(dir, options, (record) => {
      offsets.push(record.offset);
      times.push(record.enqueuedMs);
    });
    const partition = new Partition(id, options, log);
    const begin = log.firstSequence;
    partition.offsets.reset(begin);
    partition.times.reset(begin);
    for (let i = 0; i < offsets.length; i++) {
      partition.offsets.push(offsets[i] as number);
      partition.times.push(times[i] as number);
    }
    partition.nextSequence = partition.committedSequence = partition.cacheStart = log.endSequence;
    partition.nextOffset = partition.committedOffset = log.endOffset;
    partition.lastEnqueuedMs = times.at(-1) ?? 0;
    return partition;
  }

  get beginSequence(): number {
    return this.offsets.base;
  }

  /** The sequence number the next durable event will get: consumers read up to here. */
  get endSequence(): number {
    return this.committedSequence;
  }

  /**
   * Numbers the events, writes them in one append, and resolves once they are durable
   * (and visible). Enqueued times never go backwards, so time positions stay searchable.
   */
  async append(events: IncomingEvent[], transferPartitionKey?: string): Promise<void> {
    const enqueuedMs = Math.max(Date.now(), this.lastEnqueuedMs);
    this.lastEnqueuedMs = enqueuedMs;
    const firstSequence = this.nextSequence;
    const firstOffset = this.nextOffset;
    const messages: EventMessage[] = [];
    const records: Buffer[] = [];
    const offsets: number[] = [];
    let bytes = 0;
    for (const event of events) {
      const sequenceNumber = this.nextSequence++;
      const offset = this.nextOffset;
      const { record, message } = buildEventRecord(event, { sequenceNumber, offset, enqueuedMs }, transferPartitionKey);
      this.nextOffset += record.length;
      bytes += record.length;
      messages.push(message);
      records.push(record);
      offsets.push(offset);
    }
    try {
      await this.log.append(records, records.length, firstSequence, firstOffset, enqueuedMs);
    } catch (error) {
      // Every write queued after this one failed with it: number again from the durable end.
      this.nextSequence = this.committedSequence;
      this.nextOffset = this.committedOffset;
      throw error;
    }
    for (let i = 0; i < messages.length; i++) {
      this.offsets.push(offsets[i] as number);
      this.times.push(enqueuedMs);
      this.addToCache(messages[i] as EventMessage);
    }
    this.committedSequence = firstSequence + messages.length;
    this.committedOffset = firstOffset + bytes;
    for (const listener of this.listeners) listener();
  }

  private addToCache(message: EventMessage): void {
    this.cache.push(message);
    this.cacheBytes += message.bytes.length;
    while (this.cacheBytes > this.options.cacheBytes && this.cacheHead < this.cache.length - 1) {
      this.cacheBytes -= (this.cache[this.cacheHead] as EventMessage).bytes.length;
      this.cache[this.cacheHead] = undefined as unknown as EventMessage;
      this.cacheHead++;
      this.cacheStart++;
    }
    if (this.cacheHead > 4096 && this.cacheHead * 2 > this.cache.length) {
      this.cache = this.cache.slice(this.cacheHead);
      this.cacheHead = 0;
    }
  }

  /** Calls `listener` after each durable append; returns the unsubscribe function. */
  onAppend(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Why the service refuses `position`, or undefined. A sequence number or offset past the
   * partition's last event is invalid, inclusive or not ("The supplied sequence number '9' is
   * invalid. The last sequence number in the system is '7'"): a stale or foreign checkpoint (a hub
   * recreated) fails the receive instead of waiting silently for events that may never come.
   */
  positionRefusal(position: StartPosition): string | undefined {
    const { lastEnqueuedSequenceNumber, lastEnqueuedOffset } = this.properties();
    if (position.kind === 'sequence' && position.sequenceNumber > lastEnqueuedSequenceNumber) {
      return `The supplied sequence number '${position.sequenceNumber}' is invalid. The last sequence number in the system is '${lastEnqueuedSequenceNumber}'`;
    }
    if (position.kind === 'offset' && position.offset > lastEnqueuedOffset) {
      return `The supplied offset '${position.offset}' is invalid. The last offset in the system is '${lastEnqueuedOffset}'`;
    }
    return undefined;
  }

  /** The first sequence number a consumer at `position` receives. */
  resolve(position: StartPosition): number {
    switch (position.kind) {
      case 'earliest':
        return this.beginSequence;
      case 'latest':
        return this.committedSequence;
      case 'sequence':
        return Math.max(this.beginSequence, position.inclusive ? position.sequenceNumber : position.sequenceNumber + 1);
      case 'offset': {
        const { offset, inclusive } = position;
        return this.offsets.lowerBound((value) => (inclusive ? value >= offset : value > offset));
      }
      case 'enqueued': {
        const { ms, inclusive } = position;
        return this.times.lowerBound((value) => (inclusive ? value >= ms : value > ms));
      }
    }
  }

  /**
   * Up to `maxCount` events from `fromSequence` (clamped to the retained range): from the
   * cache synchronously, else one chunked disk read.
   */
  read(fromSequence: number, maxCount: number): EventMessage[] | Promise<EventMessage[]> {
    const from = Math.max(fromSequence, this.beginSequence);
    const end = Math.min(this.committedSequence, from + maxCount);
    if (from >= end) return [];
    if (from >= this.cacheStart) {
      const start = this.cacheHead + (from - this.cacheStart);
      return this.cache.slice(start, start + (end - from));
    }
    const diskEnd = Math.min(end, this.cacheStart);
    const offset = this.offsets.at(from);
    const recordBytes = this.offsetOf(from + 1) - offset;
    const wanted = Math.min(this.options.readChunkBytes, this.offsetOf(diskEnd) - offset);
    return this.log.read(from, offset, wanted, recordBytes).then((records) =>
      records.slice(0, diskEnd - from).map((record) => ({ bytes: record.message, headerEnd: record.headerEnd })),
    );
  }

  private offsetOf(sequenceNumber: number): number {
    return sequenceNumber >= this.committedSequence ? this.committedOffset : this.offsets.at(sequenceNumber);
  }

  properties(): PartitionProperties {
    const last = this.committedSequence - 1;
    const isEmpty = this.committedSequence <= this.beginSequence;
    const hasLast = this.committedSequence > 0 && last >= this.beginSequence;
    return {
      beginningSequenceNumber: isEmpty ? last : this.beginSequence,
      lastEnqueuedSequenceNumber: last,
      lastEnqueuedOffset: hasLast ? this.offsets.at(last) : -1,
      lastEnqueuedMs: this.lastEnqueuedMs,
      isEmpty,
    };
  }

  /** Drops expired or excess segments; moves the beginning sequence number accordingly. */
  async applyRetention(nowMs: number, maxAgeMs: number | undefined, maxBytes: number | undefined): Promise<void> {
    const begin = await this.log.applyRetention(maxAgeMs === undefined ? undefined : nowMs - maxAgeMs, maxBytes);
    if (begin <= this.beginSequence) return;
    this.offsets.dropBefore(begin);
    this.times.dropBefore(begin);
    while (this.cacheStart < begin && this.cacheHead < this.cache.length) {
      this.cacheBytes -= (this.cache[this.cacheHead] as EventMessage).bytes.length;
      this.cache[this.cacheHead] = undefined as unknown as EventMessage;
      this.cacheHead++;
      this.cacheStart++;
    }
    if (this.cacheStart < begin) this.cacheStart = begin;
  }

  get storedBytes(): number {
    return this.log.totalBytes;
  }

  close(): Promise<void> {
    this.listeners.clear();
    return this.log.close();
  }
}
