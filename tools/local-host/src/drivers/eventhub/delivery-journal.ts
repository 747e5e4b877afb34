import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * App setting (local host only, never set in Azure): a folder where each host process appends one
 * line per Event Hubs invocation, so a test can count deliveries exactly across hosts and kills.
 * Unset: no journal, no cost.
 */
export const DELIVERY_LOG_SETTING = 'LOCAL_HOST_DELIVERY_LOG_DIR';

/** Consecutive sequence numbers as inclusive [first, last] ranges (a batch is usually one range). */
export type SequenceRanges = [number, number][];

/** One line of a journal file (NDJSON). `t` is the host's wall clock (ms). */
export type DeliveryJournalRecord =
  /** An invocation began with these events (each retry of a batch is an invocation of its own). */
  | { k: 'start'; t: number; fn: string; inv: string; p: string; seq: SequenceRanges; retry: number }
  /** The invocation returned (ok) or threw. */
  | { k: 'end'; t: number; inv: string; ok: boolean }
  /** The host opened a partition (first claim, or again after a reconnect / ownership change). */
  | { k: 'open'; t: number; fn: string; p: string }
  | { k: 'close'; t: number; fn: string; p: string; reason: string }
  /** The consumer reported a receive error (the SDK then reconnects or closes the partition). */
  | { k: 'error'; t: number; fn: string; p: string; message: string };

export function toRanges(sequenceNumbers: readonly number[]): SequenceRanges {
  const out: SequenceRanges = [];
  for (const n of sequenceNumbers) {
    const last = out[out.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else out.push([n, n]);
  }
  return out;
}

/**
 * The journal of one host process: `<dir>/<function>.<pid>.<start ms>.ndjson`. Each record is
 * written with a synchronous write(2) before the step it records goes on (a `start` before the
 * function runs): once write returns the bytes belong to the kernel, so a SIGKILL of the host
 * cannot lose them (only a machine crash could, which the fault matrix does not inject).
 */
export class DeliveryJournal {
  private fd: number | undefined;

  private constructor(readonly file: string) {
    this.fd = openSync(file, 'a');
  }

  static open(dir: string, functionName: string): DeliveryJournal {
    mkdirSync(dir, { recursive: true });
    return new DeliveryJournal(path.join(dir, `${functionName}.${process.pid}.${Date.now()}.ndjson`));
  }

  write(record: DeliveryJournalRecord): void {
    if (this.fd !== undefined) writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}

/** Parses journal bytes; a torn last line (no newline yet) is left for the next read (`consumed` bytes were used). */
export function parseJournal(bytes: Buffer): { records: DeliveryJournalRecord[]; consumed: number } {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const records = bytes.subarray(0, end).toString('utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as DeliveryJournalRecord);
  return { records, consumed: end };
}
