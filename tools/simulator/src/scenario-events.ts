import { corruptBody, CORRUPTIONS } from './corrupt-event';
import { DroneFleet } from './drone-fleet';
import { seededRandom } from './random';
import type { Telemetry } from '@telemetry/device-state';
import { sha256, SentRecord, type IotHubAttack, type SentRecordFields } from './sent-record';
import { TextArena } from './text-arena';

export interface ScenarioEventsOptions {
  devices: number;
  keyFrameEvery: number;
  /** Share of distinct events sent as a corrupt body (each kind of CORRUPTIONS equally likely). */
  corruptRatio: number;
  /** Chance that an event is followed by a byte-for-byte resend of an earlier one. */
  duplicateRatio: number;
  seed: number;
  /** Device clock of the first event (epoch ms). */
  startTime: number;
  /**
   * IoT Hub mode: every event carries the identity IoT Hub would forward, and these shares of
   * distinct events are turned into a spoofing device (body names another drone), a module's
   * message, and a non-telemetry event (twin change or lifecycle). Each must be dead-lettered.
   */
  iotHub?: { spoofRatio: number; moduleRatio: number; nonTelemetryRatio: number };
}

export interface ScenarioEvent {
  record: SentRecord;
  body: Buffer;
}

/** What an event's body is, besides its telemetry: a corruption (1..CORRUPTIONS.length) or an IoT Hub attack. */
const VALID = 0;
const SPOOF = CORRUPTIONS.length + 1;
const MODULE = SPOOF + 1;
const TWIN_CHANGE = MODULE + 1;
const LIFECYCLE = TWIN_CHANGE + 1;

/**
 * The simulator's event stream, without sending: drone telemetry from the fleet, corrupt bodies,
 * and duplicates (at-least-once from the device side), all from one seeded random sequence, so a
 * seed always yields the same scenario. `simulate` sends it; tests can hand it to a handler.
 *
 * A full-size soak produces 1.8 million events, and a duplicate may repeat any earlier one, so
 * every event is kept, compactly: its telemetry's JSON as bytes in an arena outside the JS heap,
 * and a few numbers (device, what the body is, original, send time) in columns. Bodies and
 * records are made again from these, byte for byte (a corrupt or attacking body is a function of
 * the telemetry), so no object per event lives for the run.
 */
export class ScenarioEvents {
  private readonly random: () => number;
  private readonly fleet: DroneFleet;
  private readonly arena = new TextArena();
  private readonly deviceIds: string[] = [];
  private readonly deviceNumbers = new Map<string, number>();
  // Columns, by event index: the telemetry text's arena position and byte length, device number,
  // body variant, index of the original (-1: not a duplicate), send time (epoch ms).
  private readonly textAt: number[] = [];
  private readonly textLength: number[] = [];
  private readonly device: number[] = [];
  private readonly variant: number[] = [];
  private readonly original: number[] = [];
  private readonly sentAt: number[] = [];

  constructor(private readonly options: ScenarioEventsOptions) {
    this.random = seededRandom(options.seed);
    this.fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: options.keyFrameEvery, random: this.random, startTime: options.startTime });
  }

  /** Events produced so far (duplicates included). */
  get count(): number {
    return this.sentAt.length;
  }

  /** The next distinct event, and sometimes a duplicate of an earlier one after it (1 or 2 events). */
  next(now = Date.now()): ScenarioEvent[] {
    const telemetry = this.fleet.next();
    const attack = this.iotHubAttack();
    let variant = VALID;
    if (attack === 'spoof') variant = SPOOF;
    else if (attack === 'module') variant = MODULE;
    else if (attack === 'non-telemetry') variant = this.random() < 0.5 ? TWIN_CHANGE : LIFECYCLE;
    else if (this.random() < this.options.corruptRatio) variant = 1 + Math.floor(this.random() * CORRUPTIONS.length);
    const text = JSON.stringify(telemetry);
    this.push(this.arena.add(text), Buffer.byteLength(text), this.deviceNumber(telemetry.deviceId), variant, -1, now);
    const out = [this.event(this.count - 1)];
    if (this.count > 1 && this.random() < this.options.duplicateRatio) {
      const earlier = Math.floor(this.random() * (this.count - 1));
      const root = this.original[earlier]! >= 0 ? this.original[earlier]! : earlier;
      this.push(this.textAt[root]!, this.textLength[root]!, this.device[root]!, this.variant[root]!, root, now);
      out.push(this.event(this.count - 1));
    }
    return out;
  }

  /** The body of an event produced earlier, byte for byte as it was sent. */
  bodyOf(index: number): Buffer {
    if (!(index >= 0 && index < this.count)) throw new RangeError(`no event ${index} produced`);
    const variant = this.variant[index]!;
    if (variant === VALID || variant === MODULE) return this.arena.bytes(this.textAt[index]!, this.textLength[index]!);
    const sender = this.deviceIds[this.device[index]!]!;
    if (variant === TWIN_CHANGE) return Buffer.from(JSON.stringify({ version: 2, properties: { reported: { battery: 0.99 } } }));
    if (variant === LIFECYCLE) return Buffer.from(JSON.stringify({ deviceId: sender, etag: 'AAAA', version: 1, status: 'enabled' }));
    const telemetry = JSON.parse(this.arena.text(this.textAt[index]!, this.textLength[index]!)) as Telemetry;
    if (variant === SPOOF) {
      // A valid reading that names another drone of the fleet: sender tries to write its state.
      const victim = `drone-${String((Number(sender.slice(-5)) + 1) % this.options.devices).padStart(5, '0')}`;
      return Buffer.from(JSON.stringify({ ...telemetry, deviceId: victim === sender ? `${sender}-x` : victim, battery: 0.01 }));
    }
    return corruptBody(telemetry, CORRUPTIONS[variant - 1]!);
  }

  /** The record of an event produced earlier. */
  record(index: number): SentRecord {
    const body = this.bodyOf(index);
    return this.recordOf(index, sha256(body), body.byteLength);
  }

  /**
   * The record of every event produced, in order (`index` is the position): made now, one compact
   * SentRecord each (a duplicate's hash is its original's).
   */
  records(): SentRecord[] {
    const out: SentRecord[] = [];
    for (let i = 0; i < this.count; i++) out.push(this.madeRecord(i, out));
    return out;
  }

  /**
   * `records()`, yielding to the event loop every `step` records: a full-size soak's 1.8 million
   * take ~10 s of CPU, and the process sending them also serves the stack's fault proxies.
   */
  async recordsInSteps(step = 20_000): Promise<SentRecord[]> {
    const out: SentRecord[] = [];
    for (let i = 0; i < this.count; i++) {
      out.push(this.madeRecord(i, out));
      if (i % step === step - 1) await new Promise((resolve) => setImmediate(resolve));
    }
    return out;
  }

  /** Record i, given the records before it (a duplicate takes its original's hash). */
  private madeRecord(i: number, before: SentRecord[]): SentRecord {
    const root = this.original[i]!;
    if (root >= 0) return this.recordOf(i, before[root]!.sha256, before[root]!.bytes);
    const body = this.bodyOf(i);
    return this.recordOf(i, sha256(body), body.byteLength);
  }

  /** Every event produced so far with its record (bodies: `bodyOf`). */
  get produced(): { record: SentRecord }[] {
    return this.records().map((record) => ({ record }));
  }

  /** A device's auth generation id (stable per seed; a recreated device would get another). */
  generationOf(deviceId: string): string {
    return `gen-${this.options.seed}-${deviceId}`;
  }

  private push(textAt: number, textLength: number, device: number, variant: number, original: number, sentAt: number): void {
    this.textAt.push(textAt);
    this.textLength.push(textLength);
    this.device.push(device);
    this.variant.push(variant);
    this.original.push(original);
    this.sentAt.push(sentAt);
  }

  private event(index: number): ScenarioEvent {
    const body = this.bodyOf(index);
    return { body, record: this.recordOf(index, sha256(body), body.byteLength) };
  }

  private recordOf(index: number, sha: string, bytes: number): SentRecord {
    const variant = this.variant[index]!;
    const deviceId = this.deviceIds[this.device[index]!]!;
    const original = this.original[index]!;
    const fields: SentRecordFields = { index, deviceId, kind: 'valid', sha256: sha, bytes, sentAt: this.sentAt[index]! };
    if (original >= 0) fields.duplicateOf = original;
    const generationId = this.generationOf(deviceId);
    if (variant === VALID || variant <= CORRUPTIONS.length) {
      if (this.options.iotHub) fields.iotHub = { deviceId, generationId, source: 'Telemetry' };
      if (variant === VALID) fields.telemetryStored = { arena: this.arena, at: this.textAt[index]!, length: this.textLength[index]! };
      else {
        fields.kind = 'corrupt';
        fields.expectedCode = CORRUPTIONS[variant - 1]!.code;
      }
      return new SentRecord(fields);
    }
    fields.kind = 'corrupt';
    fields.iotHub =
      variant === SPOOF ? { deviceId, generationId, attack: 'spoof', source: 'Telemetry' }
      : variant === MODULE ? { deviceId, generationId, attack: 'module', moduleId: 'camera', source: 'Telemetry' }
      : { deviceId, generationId, attack: 'non-telemetry', source: variant === TWIN_CHANGE ? 'twinChangeEvents' : 'deviceLifecycleEvents' };
    fields.expectedCode = variant === SPOOF ? 'EVENT_DEVICE_SPOOFED' : variant === MODULE ? 'EVENT_FROM_MODULE' : 'EVENT_NOT_TELEMETRY';
    return new SentRecord(fields);
  }

  private deviceNumber(deviceId: string): number {
    let n = this.deviceNumbers.get(deviceId);
    if (n === undefined) {
      n = this.deviceIds.push(deviceId) - 1;
      this.deviceNumbers.set(deviceId, n);
    }
    return n;
  }

  private iotHubAttack(): IotHubAttack | undefined {
    const ratios = this.options.iotHub;
    if (!ratios) return undefined;
    const r = this.random();
    if (r < ratios.spoofRatio) return 'spoof';
    if (r < ratios.spoofRatio + ratios.moduleRatio) return 'module';
    if (r < ratios.spoofRatio + ratios.moduleRatio + ratios.nonTelemetryRatio) return 'non-telemetry';
    return undefined;
  }
}
