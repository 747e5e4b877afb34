import { PipelineError, toPipelineError, type IssueCode } from '@telemetry/core';
import type { DeadLetter, SourceEvent } from '@telemetry/contracts';
import { mergeEventInto, patchOf, type DeviceStatePatch } from '@telemetry/device-state';
import type { BatchReport } from './batch-report';
import {
  applyGuarded,
  countFailures,
  deliverLetters,
  lettersByCode,
  processBatch,
  recordFailures,
  screenEvents,
  settleOutcomes,
  type BatchInput,
  type IngestionDeps,
  type ScreenedEvent,
} from './process-batch';
import { recordBatchMetrics } from './record-batch-metrics';

/**
 * The product's own checkpoint for one partition: every event up to `sequenceNumber` is in the
 * store or dead-lettered. The trigger's checkpoint only says what was read; the write-behind
 * replays from this one what was read and not yet written when its holder stopped.
 */
export interface Watermark {
  sequenceNumber: number;
  /** The stored record's version: a write names it, so a holder that lost the partition finds out. */
  etag: string;
  /**
   * Left by a holder with the window off (0): everything up to it is stored, and beyond it the
   * trigger's checkpoint counts again (lag readers skip it). A windowed holder takes it over as any.
   */
  retired?: boolean;
}

/** Where watermarks live (a blob per partition next to the trigger's checkpoints, in Azure). */
export interface WatermarkStore {
  read(partitionId: string): Promise<Watermark | undefined>;
  /**
   * Writes `sequenceNumber` if the record is still at `etag` (undefined: only if there is none).
   * Returns the new etag, or 'conflict' when another holder wrote it since. Never removed: a
   * holder whose claim was taken may still have acknowledged events above the last one written,
   * and only a watermark below them gets them read again.
   */
  write(partitionId: string, sequenceNumber: number, etag: string | undefined, options?: { retired?: boolean }): Promise<string | 'conflict'>;
}

/** Reads a partition again, from Event Hubs itself: the write-behind's log is the hub. */
export interface PartitionReplay {
  /**
   * Hands over, in order and in chunks, the events of `partitionId` with `afterSequence` <
   * sequenceNumber < `beforeSequence`. Rejects when they cannot be read (the invocation then
   * fails, and its batch is not acknowledged).
   */
  read(partitionId: string, afterSequence: number, beforeSequence: number, onEvents: (events: SourceEvent[]) => Promise<void>): Promise<void>;
}

export interface WriteBehindOptions {
  /** The window (ms): a device's events are written at most this long after the first of them was enqueued. */
  holdMs: number;
  watermarks: WatermarkStore;
  replay: PartitionReplay;
  /** Bytes of held event bodies past which an invocation waits for the writes (memory bound). */
  maxHeldBytes: number;
  /** How often due devices are written and watermarks saved (ms; default 100). */
  tickMs?: number;
  /** Shortest time between two watermark writes of one partition (ms; default 1,000). */
  watermarkEveryMs?: number;
  /** Epoch ms (tests). */
  now?: () => number;
}

/**
 * One device's events of one partition not yet written. A device's events should all come through
 * one partition (partition key = device id), but a producer may not key them: each partition's
 * share is held apart, so each partition's watermark only ever covers its own events.
 */
interface Held {
  /** Partition and device: the held entry's identity. */
  key: string;
  deviceId: string;
  partitionId: string;
  patch: DeviceStatePatch;
  /** By sequence number: a retried batch folds again without adding its events twice. */
  events: Map<number, ScreenedEvent>;
  bytes: number;
  minSequence: number;
  /** Epoch ms by which the device must be written: first event's enqueued time + the window. */
  dueAt: number;
  /** Epoch ms the earliest of its events was enqueued (what its staleness is measured from). */
  firstEnqueued: number;
  source: BatchInput['source'];
  invocationId?: string;
}

interface PartitionState {
  /** Highest sequence number folded. */
  lastSeen: number;
  /** Our last write of its watermark, or undefined once another holder wrote it. */
  etag: string | undefined;
  saved: number;
  savedAt: number;
}

/** How long a held write that failed (and could not be dead-lettered) waits before the next try. */
const RETRY_AFTER_MS = 1_000;

/** What one held event costs in memory: its body and about half a kilobyte of the rest. */
const sizeOf = (body: unknown): number =>
  512 + (body instanceof Uint8Array ? body.byteLength : typeof body === 'string' ? body.length * 2 : 1_024);

/**
 * The ingestion window as a write-behind: each device's events are folded in memory and written
 * once, `holdMs` after the first of them was enqueued, so a device sending once a second costs
 * about one write per 1 + window events. Nothing is lost on a crash although the trigger
 * checkpoints each batch when its invocation returns: a watermark per partition records what is
 * in the store (or dead-lettered), and whoever next holds the partition first reads the hub again
 * from it up to the trigger's checkpoint. Bad events are dead-lettered before the invocation
 * returns, as without a window; a batch whose letters cannot be written fails and is retried.
 */
export class WriteBehind {
  private readonly held = new Map<string, Held>();
  private readonly inFlight = new Map<string, Held>();
  /** Devices with a write in flight: one write per device at a time (and per store call). */
  private readonly writing = new Set<string>();
  private readonly partitions = new Map<string, PartitionState>();
  private heldBytes = 0;
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();
  private saving: Promise<void> | undefined;
  private stopped = false;
  private readonly now: () => number;

  constructor(
    private readonly deps: IngestionDeps,
    private readonly options: WriteBehindOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  /** Starts the timer that writes due devices (the invocations alone would leave a quiet partition's devices held). */
  start(): this {
    if (!this.timer && !this.stopped) {
      this.timer = setInterval(() => void this.tick().catch(() => undefined), this.options.tickMs ?? 100);
      this.timer.unref();
    }
    return this;
  }

  /** Held events and devices (what the dashboard and tests may look at). */
  stats(): { devices: number; events: number; bytes: number } {
    let events = 0;
    for (const h of this.held.values()) events += h.events.size;
    for (const h of this.inFlight.values()) events += h.events.size;
    return { devices: this.held.size + this.inFlight.size, events, bytes: this.heldBytes };
  }

  /** One trigger invocation: screens the batch, dead-letters the bad events, holds the rest. */
  async ingest(input: BatchInput): Promise<BatchReport> {
    // Stopping (the host shuts down): nothing more is held, the batch is written before it returns.
    if (this.stopped) return processBatch(input, this.deps);
    const { events, source, invocationId } = input;
    const partitionId = events[0]?.partitionId;
    if (partitionId !== undefined && events.length > 0) {
      try {
        await this.acquire(partitionId, events[0]!.sequenceNumber, input);
      } catch (error) {
        throw await blockedBatch(this.deps, partitionId, error, 'the write-behind could not take the partition; failing the batch so it is retried');
      }
    }
    const { valid, letters } = screenEvents(input, this.deps);
    const report: BatchReport = {
      received: events.length,
      valid: valid.length,
      devices: new Set(valid.map((v) => v.decoded.telemetry.deviceId)).size,
      written: 0,
      unchanged: 0,
      applied: valid.length,
      deadLettered: letters.length,
      deadLetteredByCode: lettersByCode(letters),
      firstSequenceNumber: events[0]?.sequenceNumber ?? null,
      lastSequenceNumber: events[events.length - 1]?.sequenceNumber ?? null,
    };
    // Letters first: a batch whose letters cannot be written must fail before anything is held.
    await deliverLetters(this.deps, letters, countFailures(letters, new Map()), { partitionId, ...report });
    if (this.stopped) {
      // Stopped while its letters were written: its valid events are written now, not held.
      const written = await processBatch({ ...input, events: valid.map((v) => v.event) }, this.deps);
      return { ...report, written: written.written, unchanged: written.unchanged, applied: written.applied, deadLettered: report.deadLettered + written.deadLettered };
    }
    this.hold(valid, { source, invocationId });
    if (partitionId !== undefined) this.seen(partitionId, events);
    this.deps.logger.info('batch held', { partitionId, ...report, heldDevices: this.held.size });
    // Held events are counted applied (or dead-lettered) when their write lands, not here.
    if (this.deps.metrics) recordBatchMetrics(this.deps.metrics, { ...report, applied: 0 }, this.deps.store);
    if (this.heldBytes > this.options.maxHeldBytes) await this.flushAllOrThrow();
    return report;
  }

  /**
   * Writes every device that is due, then saves the watermarks that moved. The saves (one blob
   * write per partition, at most once a second) run beside the next writes rather than ahead of
   * them: a tick's writes never wait for 32 storage round trips.
   */
  async tick(): Promise<void> {
    await this.serial(async () => {
      const now = this.now();
      const due = this.writable([...this.held.values()].filter((h) => h.dueAt <= now));
      if (due.length > 0) await this.flush(due);
    });
    if (!this.saving) {
      this.saving = this.saveWatermarks(false).finally(() => (this.saving = undefined));
      await this.saving;
    }
  }

  /** Host shutdown: writes everything held, then moves each watermark up to what was written. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.flushRounds(() => true);
    await this.saving;
    await this.saveWatermarks(true);
  }

  private serial(work: () => Promise<void>): Promise<void> {
    const next = this.flushing.then(work);
    this.flushing = next.catch(() => undefined);
    return next;
  }

  /**
   * A partition this process did not hold (or a batch that skips past what it saw: another
   * instance held it meanwhile). Its watermark says what is in the store; the events after it and
   * before this batch were acknowledged by someone who may not have written them: read them again.
   */
  private async acquire(partitionId: string, firstSequence: number, input: BatchInput): Promise<void> {
    const state = this.partitions.get(partitionId);
    if (state && state.etag !== undefined && firstSequence <= state.lastSeen + 1) return;
    const mark = await this.options.watermarks.read(partitionId);
    if (!mark) {
      // Never held with a window: everything before this batch is settled, except what this
      // process still holds of the partition from an earlier turn.
      const initial = Math.min(firstSequence - 1, this.settledBelow(partitionId));
      const etag = await this.options.watermarks.write(partitionId, initial, undefined);
      if (etag === 'conflict') throw new PipelineError('WRITE_BEHIND_BLOCKED', `partition ${partitionId}: another instance wrote its watermark first; retrying the batch`);
      this.partitions.set(partitionId, { lastSeen: Math.max(this.partitions.get(partitionId)?.lastSeen ?? -1, firstSequence - 1), etag, saved: initial, savedAt: this.now() });
      return;
    }
    // Claim it before anything else: the previous holder's next write now fails on the version, so
    // it can no longer move what this holder relies on.
    let etag = await this.options.watermarks.write(partitionId, mark.sequenceNumber, mark.etag);
    const taken = () => new PipelineError('WRITE_BEHIND_BLOCKED', `partition ${partitionId}: its watermark changed while being taken over; retrying the batch`);
    if (etag === 'conflict') throw taken();
    let replayed = 0;
    let saved = mark.sequenceNumber;
    if (mark.sequenceNumber + 1 < firstSequence) {
      await this.options.replay.read(partitionId, mark.sequenceNumber, firstSequence, async (events) => {
        // Bad events among them were dead-lettered when they were first read: only the valid ones are held again.
        const { valid } = screenEvents({ ...input, events }, this.deps);
        this.hold(valid, { source: input.source, invocationId: input.invocationId });
        replayed += events.length;
        if (this.heldBytes > this.options.maxHeldBytes) {
          await this.flushAllOrThrow();
          // A long read again saves its progress once what it held is written: a retry (the
          // invocation may time out) goes on from there instead of starting over.
          const upTo = Math.min(events[events.length - 1]!.sequenceNumber, this.settledBelow(partitionId));
          if (upTo > saved) {
            const next = await this.options.watermarks.write(partitionId, upTo, etag as string);
            if (next === 'conflict') throw taken();
            etag = next;
            saved = upTo;
          }
        }
      });
    }
    const prior = this.partitions.get(partitionId);
    this.partitions.set(partitionId, {
      lastSeen: Math.max(prior?.lastSeen ?? -1, firstSequence - 1),
      etag,
      saved,
      savedAt: this.now(),
    });
    this.deps.logger.info('partition taken over by the write-behind', { partitionId, watermark: mark.sequenceNumber, firstSequence, replayed });
  }

  private seen(partitionId: string, events: SourceEvent[]): void {
    const state = this.partitions.get(partitionId);
    if (!state) return;
    for (const e of events) if (e.sequenceNumber > state.lastSeen) state.lastSeen = e.sequenceNumber;
  }

  private hold(valid: ScreenedEvent[], context: { source: BatchInput['source']; invocationId?: string }): void {
    const now = this.now();
    for (const v of valid) {
      const deviceId = v.decoded.telemetry.deviceId;
      const seq = v.event.sequenceNumber;
      const key = `${v.event.partitionId}\u0000${deviceId}`;
      let h = this.held.get(key);
      if (h?.events.has(seq)) continue;
      const parsed = Date.parse(v.event.enqueuedTimeUtc);
      const enqueued = Number.isFinite(parsed) ? Math.min(parsed, now) : now;
      const dueAt = this.dueAt(enqueued, now);
      if (!h) {
        h = {
          key, deviceId, partitionId: v.event.partitionId, patch: patchOf(v.decoded), events: new Map(), bytes: 0,
          minSequence: seq, dueAt, firstEnqueued: enqueued, source: context.source, invocationId: context.invocationId,
        };
        this.held.set(key, h);
      } else {
        mergeEventInto(h.patch, v.decoded);
        h.minSequence = Math.min(h.minSequence, seq);
        h.dueAt = Math.min(h.dueAt, dueAt);
        h.firstEnqueued = Math.min(h.firstEnqueued, enqueued);
      }
      h.events.set(seq, v);
      const bytes = sizeOf(v.event.body);
      h.bytes += bytes;
      this.heldBytes += bytes;
    }
  }

  /**
   * When an event's device must be written: the window after Event Hubs enqueued it; but an event
   * that reaches the app more than half the window after it was enqueued (a backlog after an outage
   * or a pause) is held half the window after it arrived, so a catch-up folds a device's backlog
   * instead of writing it batch by batch. `enqueued` is already no later than now (a time the
   * trigger did not give, or one from the future, counts as now).
   */
  private dueAt(enqueued: number, now: number): number {
    return Math.max(enqueued + this.options.holdMs, now + this.options.holdMs / 2);
  }

  /**
   * Writes what is held, round after round, while `more()` says so. A device held on two
   * partitions is written in two rounds (one write per device per store call); a round that writes
   * nothing ends it (the watermark then stays behind what is still held).
   */
  private flushRounds(more: () => boolean): Promise<void> {
    return this.serial(async () => {
      for (let round = this.writable([...this.held.values()]); round.length > 0 && more(); round = this.writable([...this.held.values()])) {
        const before = this.held.size;
        await this.flush(round);
        if (this.held.size >= before) break;
      }
    });
  }

  private async flushAllOrThrow(): Promise<void> {
    await this.flushRounds(() => this.heldBytes > this.options.maxHeldBytes);
    if (this.heldBytes > this.options.maxHeldBytes) {
      await recordFailures(this.deps, { WRITE_BEHIND_BLOCKED: 1 });
      throw new PipelineError('WRITE_BEHIND_BLOCKED', `the write-behind holds ${this.heldBytes} bytes (limit ${this.options.maxHeldBytes}) and could not write them; retrying the batch`);
    }
  }

  /**
   * Writes these devices (one store call), dead-letters the events of those whose write failed.
   * When even those letters cannot be written, the devices stay held (and their partitions'
   * watermarks stay behind them) to be tried again.
   */
  private async flush(entries: Held[]): Promise<void> {
    if (entries.length === 0) return;
    for (const h of entries) {
      this.held.delete(h.key);
      this.inFlight.set(h.key, h);
      this.writing.add(h.deviceId);
    }
    try {
      const outcomes = await applyGuarded(this.deps, entries.map((h) => h.patch));
      const failed = new Set(outcomes.filter((o) => o.status === 'failed').map((o) => o.deviceId));
      const letters: DeadLetter[] = [];
      const failures: Partial<Record<IssueCode, number>> = {};
      let settledOk: Held[] = entries;
      if (failed.size > 0) {
        for (const h of entries) {
          if (!failed.has(h.deviceId)) continue;
          const mine = outcomes.filter((o) => o.deviceId === h.deviceId);
          const settled = settleOutcomes(mine, h.events.values(), { source: h.source, invocationId: h.invocationId }, this.deps);
          letters.push(...settled.letters);
          Object.assign(failures, sumCounts(failures, countFailures([], settled.failedDevices)));
        }
        try {
          await deliverLetters(this.deps, letters, failures, { heldDevices: entries.length });
          for (const [code, n] of Object.entries(lettersByCode(letters)) as [IssueCode, number][]) {
            this.deps.metrics?.count('telemetry.events.deadlettered', n, { code });
          }
        } catch {
          // Not written, not dead-lettered: held again (merged with what arrived meanwhile).
          settledOk = entries.filter((h) => !failed.has(h.deviceId));
          for (const h of entries) if (failed.has(h.deviceId)) this.restore(h);
        }
      }
      const now = this.now();
      let applied = 0;
      for (const h of settledOk) {
        this.release(h);
        if (failed.has(h.deviceId)) continue;
        applied += h.events.size;
        this.deps.metrics?.record('telemetry.window.stored_after', Math.max(0, now - h.firstEnqueued) / 1000);
      }
      if (applied > 0) this.deps.metrics?.count('telemetry.events.applied', applied);
    } catch (error) {
      // applyGuarded does not throw; anything else keeps the devices held.
      for (const h of entries) if (this.inFlight.get(h.key) === h) this.restore(h);
      this.deps.logger.error('held devices could not be written', { devices: entries.length, errorCode: toPipelineError(error).code });
    }
  }

  private release(h: Held): void {
    if (this.inFlight.get(h.key) === h) this.inFlight.delete(h.key);
    this.writing.delete(h.deviceId);
    this.heldBytes -= h.bytes;
  }

  /** A write that failed and could not be dead-lettered: held again, tried again a second later at the soonest. */
  private restore(h: Held): void {
    this.inFlight.delete(h.key);
    this.writing.delete(h.deviceId);
    const newer = this.held.get(h.key);
    if (newer) {
      for (const [seq, v] of newer.events) {
        if (h.events.has(seq)) {
          this.heldBytes -= sizeOf(v.event.body);
          continue;
        }
        mergeEventInto(h.patch, v.decoded);
        h.events.set(seq, v);
        h.bytes += sizeOf(v.event.body);
      }
      h.minSequence = Math.min(h.minSequence, newer.minSequence);
      h.dueAt = Math.min(h.dueAt, newer.dueAt);
      h.firstEnqueued = Math.min(h.firstEnqueued, newer.firstEnqueued);
    }
    h.dueAt = Math.max(h.dueAt, this.now() + RETRY_AFTER_MS);
    this.held.set(h.key, h);
  }

  /** Entries that may be written now: none of a device already being written, one per device. */
  private writable(entries: Held[]): Held[] {
    const devices = new Set<string>();
    return entries.filter((h) => !this.writing.has(h.deviceId) && !devices.has(h.deviceId) && devices.add(h.deviceId));
  }

  /** One less than the lowest sequence number of `partitionId` this process holds (or writes); +Infinity when none. */
  private settledBelow(partitionId: string): number {
    return this.settledBelowAll().get(partitionId) ?? Number.POSITIVE_INFINITY;
  }

  /** settledBelow of every partition, in one pass over what is held (a save covers them all). */
  private settledBelowAll(): Map<string, number> {
    const lows = new Map<string, number>();
    for (const map of [this.held, this.inFlight]) {
      for (const h of map.values()) if (h.minSequence - 1 < (lows.get(h.partitionId) ?? Number.POSITIVE_INFINITY)) lows.set(h.partitionId, h.minSequence - 1);
    }
    return lows;
  }

  private async saveWatermarks(final: boolean): Promise<void> {
    const now = this.now();
    const lows = this.settledBelowAll();
    await Promise.all([...this.partitions].map(([partitionId, state]) => this.saveWatermark(partitionId, state, Math.min(state.lastSeen, lows.get(partitionId) ?? Number.POSITIVE_INFINITY), final, now)));
  }

  /** `upTo`: the highest sequence number of the partition below which nothing is held. */
  private async saveWatermark(partitionId: string, state: PartitionState, upTo: number, final: boolean, now: number): Promise<void> {
    if (state.etag === undefined) return;
    try {
      // A clean stop moves it up to what was held and written (never removes it: see WatermarkStore).
      if (upTo <= state.saved || (!final && now - state.savedAt < (this.options.watermarkEveryMs ?? 1_000))) return;
      const etag = await this.options.watermarks.write(partitionId, upTo, state.etag);
      if (etag === 'conflict') {
        // Another instance holds the partition now (it read our watermark and replays from it).
        if (this.partitions.get(partitionId) === state) this.partitions.delete(partitionId);
        this.deps.logger.info('partition watermark taken over by another instance', { partitionId });
        return;
      }
      Object.assign(state, { etag, saved: upTo, savedAt: now });
    } catch (error) {
      // The previous watermark stands: a takeover reads a little more again, nothing is lost.
      this.deps.logger.warn('watermark not saved', { partitionId, errorCode: toPipelineError(error).code });
    }
  }
}

/**
 * A batch the write-behind cannot take: coded WRITE_BEHIND_BLOCKED (keeping a cause's own such
 * error), logged, counted for the breaker, and returned for the caller to throw (the trigger then
 * retries the batch).
 */
async function blockedBatch(deps: IngestionDeps, partitionId: string, error: unknown, message: string): Promise<PipelineError> {
  const failure = error instanceof PipelineError && error.code === 'WRITE_BEHIND_BLOCKED'
    ? error
    : new PipelineError('WRITE_BEHIND_BLOCKED', `partition ${partitionId}: ${toPipelineError(error).message}`, { cause: error });
  deps.logger.error(message, { partitionId, errorCode: failure.code, error: failure.message });
  await recordFailures(deps, { WRITE_BEHIND_BLOCKED: 1 });
  return failure;
}

function sumCounts(a: Partial<Record<IssueCode, number>>, b: Partial<Record<IssueCode, number>>): Partial<Record<IssueCode, number>> {
  const out = { ...a };
  for (const [k, v] of Object.entries(b) as [IssueCode, number][]) out[k] = (out[k] ?? 0) + v;
  return out;
}

/**
 * With the window off (0), a watermark a windowed holder left (it crashed, then the window was
 * turned off; or, in a rolling settings change, a windowed instance still acknowledging) may owe
 * the events between it and the trigger's checkpoint. On a partition's first batch here (or one
 * that skips past what this process saw), a watermark is claimed, those events are read again and
 * written (bad ones were dead-lettered when first read), and it is retired at the batch: lag counts
 * from the checkpoint again. While this process writes the partition, the retired watermark
 * follows at most a minute behind (and at a clean stop), so a later takeover reads little again.
 * Partitions that never had a watermark cost one read, once. Never removed (see WatermarkStore).
 */
export class OrphanedWatermarks {
  private readonly partitions = new Map<string, { lastSeen: number; etag?: string; movedAt: number }>();

  constructor(
    private readonly deps: IngestionDeps,
    private readonly ports: { watermarks: WatermarkStore; replay: PartitionReplay },
    private readonly options: { followEveryMs?: number; now?: () => number } = {},
  ) {}

  private now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** Before `input` is written: settles its partition's watermark if it owes events. */
  async settle(input: BatchInput): Promise<void> {
    const first = input.events[0];
    if (!first) return;
    const partitionId = first.partitionId;
    const state = this.partitions.get(partitionId);
    if (state && first.sequenceNumber <= state.lastSeen + 1) return;
    try {
      const mark = await this.ports.watermarks.read(partitionId);
      let etag = mark?.etag;
      if (mark) {
        const blocked = () => new PipelineError('WRITE_BEHIND_BLOCKED', `partition ${partitionId}: its watermark changed while being settled; retrying the batch`);
        let claimed = await this.ports.watermarks.write(partitionId, mark.sequenceNumber, mark.etag);
        if (claimed === 'conflict') throw blocked();
        let written = 0;
        if (mark.sequenceNumber + 1 < first.sequenceNumber) {
          await this.ports.replay.read(partitionId, mark.sequenceNumber, first.sequenceNumber, async (events) => {
            const { valid } = screenEvents({ ...input, events }, this.deps);
            if (valid.length > 0) written += (await processBatch({ ...input, events: valid.map((v) => v.event) }, this.deps)).applied;
            // Progress: a retry after a timeout goes on from here.
            const next = await this.ports.watermarks.write(partitionId, events[events.length - 1]!.sequenceNumber, claimed as string);
            if (next === 'conflict') throw blocked();
            claimed = next;
          });
        }
        etag = await this.ports.watermarks.write(partitionId, first.sequenceNumber - 1, claimed, { retired: true });
        if (etag === 'conflict') throw blocked();
        this.deps.logger.info('a watermark left by the ingestion window was settled', { partitionId, watermark: mark.sequenceNumber, firstSequence: first.sequenceNumber, written });
      }
      this.partitions.set(partitionId, { lastSeen: first.sequenceNumber - 1, etag, movedAt: this.now() });
    } catch (error) {
      throw await blockedBatch(this.deps, partitionId, error, 'a watermark left by the ingestion window could not be settled; failing the batch so it is retried');
    }
  }

  /** After `input` was written: what this process saw of its partition; the retired watermark follows once a minute. */
  async written(input: BatchInput): Promise<void> {
    const last = input.events[input.events.length - 1];
    const state = last && this.partitions.get(last.partitionId);
    if (!state) return;
    if (last.sequenceNumber > state.lastSeen) state.lastSeen = last.sequenceNumber;
    if (state.etag === undefined || this.now() - state.movedAt < (this.options.followEveryMs ?? 60_000)) return;
    state.movedAt = this.now();
    try {
      const etag = await this.ports.watermarks.write(last.partitionId, state.lastSeen, state.etag, { retired: true });
      // Another holder wrote it: the next batch that skips past what this process saw settles again.
      state.etag = etag === 'conflict' ? undefined : etag;
    } catch (error) {
      this.deps.logger.warn('retired watermark not moved', { partitionId: last.partitionId, errorCode: toPipelineError(error).code });
    }
  }

  /** Host shutdown: a retired watermark this process holds moves up to what it wrote (best effort). */
  async stop(): Promise<void> {
    await Promise.all([...this.partitions].map(async ([partitionId, state]) => {
      if (state.etag === undefined) return;
      try {
        await this.ports.watermarks.write(partitionId, state.lastSeen, state.etag, { retired: true });
      } catch (error) {
        this.deps.logger.warn('retired watermark not moved', { partitionId, errorCode: toPipelineError(error).code });
      }
    }));
  }
}
