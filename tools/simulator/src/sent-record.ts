import { createHash } from 'node:crypto';
import type { Telemetry } from '@telemetry/device-state';
import type { IotHubEnvelope } from './iot-hub-message';
import type { TextArena } from './text-arena';

/** One event the simulator sent: what an audit needs to account for it. */
export interface SentEvent {
  /** Position in the run. */
  index: number;
  deviceId: string;
  kind: 'valid' | 'corrupt';
  /** For duplicates: the index of the event whose body this repeats. */
  duplicateOf?: number;
  /** Expected issue code for corrupt events. */
  expectedCode?: string;
  /** sha256 of the body, hex: matches DeadLetter.bodySha256. */
  sha256: string;
  bytes: number;
  telemetry?: Telemetry;
  sentAt: number;
  /**
   * IoT Hub mode: the identity the event was forwarded with. `deviceId` above is then the
   * authenticated device; `attack` says what the event tries (spoof, module, non-telemetry).
   */
  iotHub?: IotHubEnvelope & { attack?: IotHubAttack };
}

/** What an IoT Hub mode event that must not be applied tries to do. */
export type IotHubAttack = 'spoof' | 'module' | 'non-telemetry';

export const sha256 = (body: Buffer): string => createHash('sha256').update(body).digest('hex');

/** A SentEvent's fields, with the telemetry as its JSON text (the body of a valid event), or where that text is stored. */
export interface SentRecordFields extends Omit<SentEvent, 'telemetry'> {
  telemetryJson?: string;
  telemetryStored?: { arena: TextArena; at: number; length: number };
}

/** Telemetry parsed lately, oldest first: bounded, so a run's records stay compact however they are read. */
const recentlyParsed = new Map<SentRecord, Telemetry>();
const PARSED_CACHE_SIZE = 4_096;

/**
 * A SentEvent as the simulator keeps it for a whole run (a full-size soak holds 1.8 million): the
 * telemetry as its JSON text (a string, or bytes in the scenario's arena outside the JS heap, not
 * a tree of objects and numbers), parsed when read, and fields absent unless set. About 200 bytes
 * of heap a record (plus the text) against ~720 with a telemetry object and the body kept, and a
 * fraction of the objects for the garbage collector to trace. `JSON.stringify` gives the same text
 * as the plain record did (key order included), so the record file is unchanged. A spread
 * (`{ ...record }`) drops the telemetry (it is a getter): copy with `with()` or `withChanges`.
 */
export class SentRecord implements SentEvent {
  index: number;
  deviceId: string;
  kind: SentEvent['kind'];
  declare duplicateOf?: number;
  declare expectedCode?: string;
  sha256: string;
  bytes: number;
  sentAt: number;
  declare iotHub?: SentEvent['iotHub'];
  // The telemetry as JSON (valid events only): the text, or the arena holding it (at, length).
  // Private: spread, Object.keys and JSON see the SentEvent fields only.
  #text: string | TextArena | undefined;
  #at = 0;
  #length = 0;

  constructor(fields: SentRecordFields) {
    this.index = fields.index;
    this.deviceId = fields.deviceId;
    this.kind = fields.kind;
    this.sha256 = fields.sha256;
    this.bytes = fields.bytes;
    this.sentAt = fields.sentAt;
    if (fields.duplicateOf !== undefined) this.duplicateOf = fields.duplicateOf;
    if (fields.expectedCode !== undefined) this.expectedCode = fields.expectedCode;
    if (fields.iotHub !== undefined) this.iotHub = fields.iotHub;
    if (fields.telemetryStored) {
      this.#text = fields.telemetryStored.arena;
      this.#at = fields.telemetryStored.at;
      this.#length = fields.telemetryStored.length;
    } else {
      this.#text = fields.telemetryJson;
    }
  }

  /**
   * Parsed from the text; the last few thousand parsed are cached (an audit reads a device's events
   * over and over), so treat the object as read-only.
   */
  get telemetry(): Telemetry | undefined {
    if (this.#text === undefined) return undefined;
    let parsed = recentlyParsed.get(this);
    if (!parsed) {
      parsed = JSON.parse(this.telemetryText!) as Telemetry;
      if (recentlyParsed.size >= PARSED_CACHE_SIZE) recentlyParsed.delete(recentlyParsed.keys().next().value!);
      recentlyParsed.set(this, parsed);
    }
    return parsed;
  }

  /** The telemetry's JSON text, exactly as sent (a valid event's body), without parsing it. */
  get telemetryText(): string | undefined {
    return typeof this.#text === 'object' ? this.#text.text(this.#at, this.#length) : this.#text;
  }

  /** A copy with some fields changed (telemetry kept, sharing its text). */
  with(changes: Partial<Omit<SentRecordFields, 'telemetryJson' | 'telemetryStored'>>): SentRecord {
    const copy = new SentRecord({ ...this, ...changes });
    copy.#text = this.#text;
    copy.#at = this.#at;
    copy.#length = this.#length;
    return copy;
  }

  /** The plain record's JSON, key for key in the order the simulator always wrote them. */
  toJSON(): SentEvent {
    return {
      index: this.index, deviceId: this.deviceId, kind: this.kind,
      ...(this.#text !== undefined ? { telemetry: JSON.parse(this.telemetryText!) as Telemetry } : {}),
      ...(this.expectedCode !== undefined ? { expectedCode: this.expectedCode } : {}),
      sha256: this.sha256, bytes: this.bytes, sentAt: this.sentAt,
      ...(this.iotHub !== undefined ? { iotHub: this.iotHub } : {}),
      ...(this.duplicateOf !== undefined ? { duplicateOf: this.duplicateOf } : {}),
    };
  }
}

/** A copy of a sent event with some fields changed: keeps a SentRecord's telemetry (a spread would drop it). */
export function withChanges(event: SentEvent, changes: Partial<Omit<SentEvent, 'telemetry'>>): SentEvent {
  return event instanceof SentRecord ? event.with(changes) : { ...event, ...changes };
}
