import { createHash } from 'node:crypto';
import { odata, type TableClient, type TableEntityResult } from '@azure/data-tables';
import type { ContainerClient } from '@azure/storage-blob';
import { TaskCancelledError, timeout, TimeoutStrategy, type RetryPolicy, type TimeoutPolicy } from 'cockatiel';
import { executeWithRetries, PipelineError, toPipelineError, transientRetryPolicy, type RetryOptions } from '@telemetry/core';
import { decodeDeadLetter, isClaimCheckBlobNameOf } from '@telemetry/contracts';
import { matchesQuery, type ParkedBy, type ParkedCount, type ParkedLetter, type ParkedQuery, type ParkedSummary, type ParkingStore } from '@telemetry/reprocessing';

/** Largest letter JSON kept in the entity itself (Edm.Binary holds at most 64 KiB). */
export const MAX_INLINE_LETTER_BYTES = 60 * 1024;
const MAX_REASON_CHARS = 4_000;
const SUMMARY_FIELDS = ['PartitionKey', 'RowKey', 'reason', 'parkedAt', 'attempts', 'by', 'deviceId', 'failedAt', 'bodyBytes', 'originalCode'];

// The indexed properties are copies of letter fields, which come from an untrusted queue message:
// each is written only when Table storage can hold it (else left out; the letter keeps the original).
interface ParkedEntity {
  partitionKey: string;
  rowKey: string;
  reason: string;
  parkedAt?: Date;
  attempts?: number;
  by: string;
  deviceId?: string;
  failedAt?: Date;
  bodyBytes?: number;
  originalCode: string;
  /** The letter's JSON (UTF-8) when small enough; otherwise `letterBlob` names it. */
  letter?: Uint8Array;
  letterBlob?: string;
  claimCheckBlob?: string;
}

/** Table keys may not contain / \ # ? or control characters. */
export function parkingPartitionKey(code: unknown): string {
  return typeof code === 'string' && /^[A-Za-z0-9_-]{1,64}$/.test(code) ? code : 'UNKNOWN';
}
export function parkingRowKey(id: string): string {
  return /^[A-Za-z0-9._-]{1,200}$/.test(id) ? id : `x-${createHash('sha256').update(id).digest('hex')}`;
}

const isoOf = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v ?? ''));

/** Longest device id kept as a queryable property (the product's ids are at most 256 chars). */
const MAX_DEVICE_ID_CHARS = 1_024;
// Edm.DateTime spans 1601-01-01 to 9999-12-31 UTC (Azure rejects a date outside it).
const MIN_TABLE_TIME = Date.UTC(1601, 0, 1);
const MAX_TABLE_TIME = Date.UTC(10_000, 0, 1) - 1;

/** A date Table storage can hold, or undefined (`garbage`, a number, a year before 1601). */
function tableDate(text: unknown): Date | undefined {
  if (typeof text !== 'string') return undefined;
  const time = Date.parse(text);
  return time >= MIN_TABLE_TIME && time <= MAX_TABLE_TIME ? new Date(time) : undefined;
}
/** A count Table storage can hold as a number (a tampered `-9`, `"12"` or `{}` is left out). */
const tableCount = (n: unknown): number | undefined => (typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : undefined);
/** A device id as text: a string, or a number or boolean written as text; never an object. */
function tableDeviceId(id: unknown): string | undefined {
  const text = typeof id === 'string' ? id : typeof id === 'number' || typeof id === 'boolean' ? String(id) : undefined;
  return text && text.length <= MAX_DEVICE_ID_CHARS ? text : undefined;
}
/** Text for a property the reprocessor fills, whatever a caller passed. */
const tableText = (text: unknown, fallback: string): string => (typeof text === 'string' ? text : fallback);

/**
 * The parking store on Azure Table storage: PartitionKey = issue code (operators ask "what is
 * parked for EVENT_INVALID"; counts by code are one partition query each), RowKey = dead-letter id
 * (so parking the same letter twice is one upsert). The letter's JSON sits in the entity as
 * Edm.Binary, or in a blob (`parked/<id>.json` in the claim-check container) when it is bigger
 * than an entity property may be. Table storage rather than a blob container with an index:
 * queryable by property without a second index to keep consistent, and cheap per operation.
 */
export class TableParkingStore implements ParkingStore {
  private readonly retry: RetryPolicy;
  private readonly timeout: TimeoutPolicy;

  constructor(
    private readonly table: TableClient,
    private readonly blobs: ContainerClient,
    retry: RetryOptions = { maxAttempts: 3, initialDelayMs: 200, maxDelayMs: 2_000 },
    /**
     * Cap on one storage call (ms). The storage clients' own try timeout does not end a request
     * the network swallowed (a black hole): without it a park hangs its invocation until the
     * message's lease runs out.
     */
    private readonly callTimeoutMs = 10_000,
  ) {
    this.retry = transientRetryPolicy(retry);
    this.timeout = timeout(callTimeoutMs, TimeoutStrategy.Aggressive);
  }

  async park(entry: ParkedLetter): Promise<void> {
    const json = Buffer.from(JSON.stringify(entry.letter), 'utf8');
    const rowKey = parkingRowKey(entry.id);
    // The letter's fields are as a queue writer left them (`failedAt: "garbage"`, an object
    // `deviceId` or `issue.code`), and one Table cannot hold fails the write on every try: the
    // letter would never park. So the indexed copies keep only what Table storage holds; the
    // letter JSON (entity or blob) keeps every field as it came.
    const letter = entry.letter as unknown as Record<string, unknown> & { issue?: { code?: unknown } };
    const [parkedAt, failedAt, attempts, bodyBytes, deviceId] = [tableDate(entry.parkedAt), tableDate(letter.failedAt), tableCount(entry.attempts), tableCount(letter.bodyBytes), tableDeviceId(letter.deviceId)];
    const entity: ParkedEntity = {
      partitionKey: parkingPartitionKey(entry.code),
      rowKey,
      reason: tableText(entry.reason, '').slice(0, MAX_REASON_CHARS),
      ...(parkedAt ? { parkedAt } : {}),
      ...(attempts === undefined ? {} : { attempts }),
      by: tableText(entry.by, 'reprocessor'),
      ...(deviceId ? { deviceId } : {}),
      ...(failedAt ? { failedAt } : {}),
      ...(bodyBytes === undefined ? {} : { bodyBytes }),
      originalCode: parkingPartitionKey(letter.issue?.code),
      ...(typeof entry.claimCheckBlob === 'string' ? { claimCheckBlob: entry.claimCheckBlob } : {}),
    };
    if (json.byteLength <= MAX_INLINE_LETTER_BYTES) {
      entity.letter = json;
    } else {
      entity.letterBlob = `parked/${rowKey}.json`;
      const blob = this.blobs.getBlockBlobClient(entity.letterBlob);
      const upload = (abortSignal: AbortSignal) => blob.uploadData(json, { blobHTTPHeaders: { blobContentType: 'application/json' }, abortSignal });
      await this.attempt(async (abortSignal) => {
        try {
          await upload(abortSignal);
        } catch (error) {
          // As for the table below: a fresh account has no container until the first park needs it.
          if ((error as { statusCode?: number }).statusCode !== 404) throw error;
          await this.createResources();
          await upload(abortSignal);
        }
      });
    }
    await this.attempt(async (abortSignal) => {
      try {
        await this.table.upsertEntity(entity, 'Replace', { abortSignal });
      } catch (error) {
        // First park on a fresh account: create the table (Bicep does in Azure), then write.
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        await this.createResources();
        await this.table.upsertEntity(entity, 'Replace', { abortSignal });
      }
    });
  }

  async get(id: string): Promise<ParkedLetter | undefined> {
    const rowKey = parkingRowKey(id);
    for await (const entity of this.entities({ filter: odata`RowKey eq ${rowKey}` })) {
      return this.toParked(entity);
    }
    return undefined;
  }

  async *list(query: ParkedQuery = {}): AsyncIterable<ParkedSummary> {
    const filters = [
      query.code ? odata`PartitionKey eq ${parkingPartitionKey(query.code)}` : undefined,
      query.deviceId ? odata`deviceId eq ${query.deviceId}` : undefined,
    ].filter((f): f is string => f !== undefined);
    const pages = this.entities({ filter: filters.length > 0 ? filters.join(' and ') : undefined, select: SUMMARY_FIELDS });
    let n = 0;
    for await (const entity of pages) {
      const summary = toSummary(entity);
      if (!matchesQuery(summary, query)) continue;
      yield summary;
      if (query.limit !== undefined && ++n >= query.limit) return;
    }
  }

  /** Deletes the entry, its parked/ blob and the ingestion claim-check blob it came from (if any). */
  async remove(entry: { id: string; code: string; claimCheckBlob?: string }): Promise<void> {
    const pk = parkingPartitionKey(entry.code);
    const rowKey = parkingRowKey(entry.id);
    await this.attempt(async () => {
      try {
        await this.table.deleteEntity(pk, rowKey);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
      }
    });
    await this.attempt(() => this.blobs.getBlockBlobClient(`parked/${rowKey}.json`).deleteIfExists());
    const claimCheck = entry.claimCheckBlob;
    // Only a blob the sinks produce for this letter: an entry is never a way to delete elsewhere.
    if (claimCheck && isClaimCheckBlobNameOf(entry.id, claimCheck)) await this.attempt(() => this.blobs.getBlockBlobClient(claimCheck).deleteIfExists());
  }

  async countByCode(): Promise<ParkedCount[]> {
    const counts = new Map<string, ParkedCount>();
    const pages = this.entities({ select: ['PartitionKey', 'parkedAt', 'failedAt'] });
    for await (const e of pages) {
      const c = counts.get(e.partitionKey) ?? { code: e.partitionKey, count: 0, oldestParkedAt: null, oldestFailedAt: null };
      c.count++;
      const parkedAt = isoOf(e.parkedAt);
      const failedAt = isoOf(e.failedAt);
      if (!c.oldestParkedAt || parkedAt < c.oldestParkedAt) c.oldestParkedAt = parkedAt;
      // A letter whose failedAt was not a date has none here.
      if (failedAt && (!c.oldestFailedAt || failedAt < c.oldestFailedAt)) c.oldestFailedAt = failedAt;
      counts.set(c.code, c);
    }
    return [...counts.values()].sort((a, b) => a.code.localeCompare(b.code));
  }

  /** The parking table and its container (Bicep creates both in Azure; a fresh local account has neither). */
  private async createResources(): Promise<void> {
    await Promise.all([
      this.table.createTable().catch((error: unknown) => {
        if ((error as { statusCode?: number }).statusCode !== 409) throw error;
      }),
      this.blobs.createIfNotExists(),
    ]);
  }

  /** A table that does not exist yet holds nothing (the reprocessor creates it on first park). */
  private async *entities(queryOptions: { filter?: string; select?: string[] }): AsyncIterable<TableEntityResult<ParkedEntity>> {
    try {
      yield* this.table.listEntities<ParkedEntity>({ queryOptions });
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode !== 404) throw toPipelineError(error, 'reprocess');
    }
  }

  private async toParked(entity: TableEntityResult<ParkedEntity>): Promise<ParkedLetter> {
    const json = entity.letter
      ? Buffer.from(entity.letter)
      : await this.attempt(() => this.blobs.getBlockBlobClient(entity.letterBlob ?? '').downloadToBuffer());
    const { deviceId: _d, failedAt: _f, bodyBytes: _b, originalCode: _o, ...summary } = toSummary(entity);
    const letter = decodeDeadLetter(JSON.parse(json.toString('utf8')) as object);
    return { ...summary, letter, ...(entity.claimCheckBlob ? { claimCheckBlob: entity.claimCheckBlob } : {}) };
  }

  private attempt<T>(fn: (abortSignal: AbortSignal) => Promise<T>): Promise<T> {
    return executeWithRetries(this.retry, async () => {
      try {
        return await this.timeout.execute(({ signal }) => fn(signal));
      } catch (error) {
        if (error instanceof TaskCancelledError) {
          throw new PipelineError('STORE_TIMEOUT', `parking store call exceeded ${this.callTimeoutMs} ms`, { cause: error, stage: 'reprocess' });
        }
        throw toPipelineError(error, 'reprocess');
      }
    });
  }
}

function toSummary(e: TableEntityResult<ParkedEntity>): ParkedSummary {
  return {
    id: e.rowKey,
    code: e.partitionKey,
    reason: e.reason,
    parkedAt: isoOf(e.parkedAt),
    attempts: Number(e.attempts ?? 0),
    by: (e.by ?? 'reprocessor') as ParkedBy,
    deviceId: e.deviceId ?? null,
    failedAt: isoOf(e.failedAt),
    bodyBytes: Number(e.bodyBytes ?? 0),
    originalCode: e.originalCode ?? e.partitionKey,
  };
}
