import type { Sender } from 'rhea';
import { withRuntimeInfo, type EventMessage } from '../amqp/event-message';
import type { Partition } from '../storage/partition';
import { sendCapacity, sendEncoded } from './rhea-edge';

/** At most this many events are read per pump step, so one consumer cannot hog the loop. */
const MAX_STEP = 500;

/**
 * Streams a partition to one receive link from a start sequence number: only within the
 * link credit the consumer granted, from the partition cache or (for old events) disk,
 * woken by new credit and by appends.
 */
export class ConsumerLink {
  private issued = 0;
  private reading = false;
  private closed = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly sender: Sender,
    private readonly partition: Partition,
    private cursor: number,
    private readonly runtimeMetrics: boolean,
    private readonly onError: (error: unknown) => void,
  ) {
    this.unsubscribe = partition.onAppend(() => this.pump());
    sender.on('sendable', () => this.pump());
  }

  close(): void {
    this.closed = true;
    this.unsubscribe();
  }

  pump(): void {
    while (!this.closed && !this.reading && this.sender.is_open()) {
      const capacity = Math.min(sendCapacity(this.sender, this.issued), MAX_STEP);
      if (capacity <= 0 || this.cursor >= this.partition.endSequence) return;
      this.cursor = Math.max(this.cursor, this.partition.beginSequence);
      const result = this.partition.read(this.cursor, capacity);
      if (Array.isArray(result)) {
        if (result.length === 0) return;
        this.deliver(result);
        continue;
      }
      this.reading = true;
      result.then(
        (events) => {
          this.reading = false;
          if (this.closed) return;
          this.deliver(events);
          // Yield between disk chunks so appends and other links get their turn.
          setImmediate(() => this.pump());
        },
        (error: unknown) => {
          this.reading = false;
          this.onError(error);
        },
      );
      return;
    }
  }

  private deliver(events: EventMessage[]): void {
    const info = this.runtimeMetrics ? this.runtimeInfo() : undefined;
    for (const event of events) {
      sendEncoded(this.sender, info ? withRuntimeInfo(event, info) : event.bytes);
      this.issued++;
      this.cursor++;
    }
  }

  private runtimeInfo(): { lastSequenceNumber: number; lastOffset: number; lastEnqueuedMs: number; retrievalMs: number } {
    const props = this.partition.properties();
    return {
      lastSequenceNumber: props.lastEnqueuedSequenceNumber,
      lastOffset: props.lastEnqueuedOffset,
      lastEnqueuedMs: props.lastEnqueuedMs,
      retrievalMs: Date.now(),
    };
  }
}
