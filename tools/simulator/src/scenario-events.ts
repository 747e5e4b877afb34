import { corruptBody, CORRUPTIONS } from './corrupt-event';
import { DroneFleet } from './drone-fleet';
import { seededRandom } from './random';
import { sha256, type SentEvent } from './sent-record';

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
}

export interface ScenarioEvent {
  record: SentEvent;
  body: Buffer;
}

/**
 * The simulator's event stream, without sending: drone telemetry from the fleet, corrupt bodies,
 * and duplicates (at-least-once from the device side), all from one seeded random sequence, so a
 * seed always yields the same scenario. `simulate` sends it; tests can hand it to a handler.
 */
export class ScenarioEvents {
  /** Every event produced so far, in order (`record.index` is the position here). */
  readonly produced: ScenarioEvent[] = [];
  private readonly random: () => number;
  private readonly fleet: DroneFleet;

  constructor(private readonly options: ScenarioEventsOptions) {
    this.random = seededRandom(options.seed);
    this.fleet = new DroneFleet({ devices: options.devices, keyFrameEvery: options.keyFrameEvery, random: this.random, startTime: options.startTime });
  }

  /** The next distinct event, and sometimes a duplicate of an earlier one after it (1 or 2 events). */
  next(now = Date.now()): ScenarioEvent[] {
    const out: ScenarioEvent[] = [];
    const telemetry = this.fleet.next();
    const index = this.produced.length;
    if (this.random() < this.options.corruptRatio) {
      const corruption = CORRUPTIONS[Math.floor(this.random() * CORRUPTIONS.length)]!;
      const body = corruptBody(telemetry, corruption);
      out.push({ body, record: { index, deviceId: telemetry.deviceId, kind: 'corrupt', expectedCode: corruption.code, sha256: sha256(body), bytes: body.byteLength, sentAt: now } });
    } else {
      const body = Buffer.from(JSON.stringify(telemetry));
      out.push({ body, record: { index, deviceId: telemetry.deviceId, kind: 'valid', telemetry, sha256: sha256(body), bytes: body.byteLength, sentAt: now } });
    }
    this.produced.push(out[0]!);
    if (this.produced.length > 1 && this.random() < this.options.duplicateRatio) {
      const original = this.produced[Math.floor(this.random() * (this.produced.length - 1))]!;
      const duplicate = { body: original.body, record: { ...original.record, index: this.produced.length, duplicateOf: original.record.duplicateOf ?? original.record.index, sentAt: now } };
      this.produced.push(duplicate);
      out.push(duplicate);
    }
    return out;
  }
}
