import { EventHubProducerClient, type EventData, type RetryOptions } from '@azure/event-hubs';
import { bulkhead } from 'cockatiel';
import { sha256, type SentEvent } from '@telemetry/simulator';
import type { Telemetry } from '@telemetry/device-state';

/** A body to send and what the audit must know about it. */
export interface OutgoingEvent {
  deviceId: string;
  body: Buffer;
  kind: SentEvent['kind'];
  expectedCode?: string;
  telemetry?: Telemetry;
  /** Index (in the same send) of the event whose body this repeats. */
  duplicateOf?: number;
}

export interface SendOptions {
  connectionString: string;
  hubName: string;
  /** Events per sendBatch call at most (consecutive events of one partition key). */
  batchSize?: number;
  /** sendBatch calls in flight. */
  concurrency?: number;
  /** Index of the first event in the run's record. */
  firstIndex?: number;
  /** Events/s: sent in 100 ms ticks; unset = as fast as possible. */
  rate?: number;
  /** The producer's own retries (SDK `retryOptions`); e.g. `{ maxRetries: 0 }` so every failed send surfaces here. */
  retryOptions?: RetryOptions;
  /**
   * Resend a batch whose send failed (back-off 200 ms doubling to 2 s), told of each failure, for
   * up to `giveUpMs` (default 120 s) per batch; unset: a failed send fails the whole call. A failed
   * send may still have been stored (the acknowledgement was lost): the resend then stores it twice.
   */
  resend?: { onError(error: unknown): void; giveUpMs?: number };
}

/**
 * Sends bodies exactly in the given order per partition key (partition key = deviceId), in
 * batches of consecutive events of one device, and returns the simulator's record of each.
 */
export async function sendEvents(events: OutgoingEvent[], options: SendOptions): Promise<SentEvent[]> {
  const producer = new EventHubProducerClient(options.connectionString, options.hubName, options.retryOptions ? { retryOptions: options.retryOptions } : {});
  const limiter = bulkhead(options.concurrency ?? 16, Number.POSITIVE_INFINITY);
  const first = options.firstIndex ?? 0;
  const records: SentEvent[] = events.map((e, i) => ({
    index: first + i,
    deviceId: e.deviceId,
    kind: e.kind,
    ...(e.duplicateOf !== undefined ? { duplicateOf: first + e.duplicateOf } : {}),
    ...(e.expectedCode ? { expectedCode: e.expectedCode } : {}),
    sha256: sha256(e.body),
    bytes: e.body.byteLength,
    ...(e.telemetry ? { telemetry: e.telemetry } : {}),
    sentAt: 0,
  }));
  const max = options.batchSize ?? 50;
  const tick = options.rate ? Math.max(1, Math.round(options.rate / 10)) : events.length;
  try {
    for (let from = 0; from < events.length; from += tick) {
      const started = Date.now();
      await sendChunk(from, Math.min(events.length, from + tick));
      const wait = options.rate ? 100 - (Date.now() - started) : 0;
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  } finally {
    await producer.close();
  }
  return records;

  // Runs of one device, in order; a device's runs are sent one after another so its order holds.
  async function sendChunk(from: number, to: number): Promise<void> {
    const runs = new Map<string, number[][]>();
    let current: { deviceId: string; run: number[] } | undefined;
    for (let i = from; i < to; i++) {
      const e = events[i]!;
      if (!current || current.deviceId !== e.deviceId || current.run.length >= max || e.body.byteLength > 60 * 1024) {
        current = { deviceId: e.deviceId, run: [] };
        runs.set(e.deviceId, [...(runs.get(e.deviceId) ?? []), current.run]);
      }
      current.run.push(i);
    }
    await Promise.all(
      [...runs].map(([deviceId, deviceRuns]) =>
        limiter.execute(async () => {
          for (const run of deviceRuns) {
            const batch: EventData[] = run.map((i) => ({ body: events[i]!.body, contentType: 'application/json', properties: { source: 'fault-matrix', index: first + i } }));
            await sendWithResend(() => producer.sendBatch(batch, { partitionKey: deviceId }), options.resend);
            const at = Date.now();
            for (const i of run) records[i]!.sentAt = at;
          }
        }),
      ),
    );
  }
}

async function sendWithResend(send: () => Promise<void>, resend: SendOptions['resend']): Promise<void> {
  let delay = 200;
  let giveUpAt = 0;
  for (;;) {
    try {
      return await send();
    } catch (error) {
      if (!resend) throw error;
      resend.onError(error);
      giveUpAt ||= Date.now() + (resend.giveUpMs ?? 120_000);
      if (Date.now() >= giveUpAt) throw error;
      await new Promise((r) => setTimeout(r, delay));
      delay = Math.min(2_000, delay * 2);
    }
  }
}
