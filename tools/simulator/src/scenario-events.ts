import { corruptBody, CORRUPTIONS } from './corrupt-event';
import { DroneFleet } from './drone-fleet';
import { seededRandom } from './random';
import type { Telemetry } from '@telemetry/device-state';
import { sha256, type IotHubAttack, type SentEvent } from './sent-record';

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
    const attack = this.iotHubAttack();
    if (attack) {
      out.push(this.attackEvent(attack, telemetry, index, now));
    } else if (this.random() < this.options.corruptRatio) {
      const corruption = CORRUPTIONS[Math.floor(this.random() * CORRUPTIONS.length)]!;
      const body = corruptBody(telemetry, corruption);
      out.push({ body, record: { index, deviceId: telemetry.deviceId, kind: 'corrupt', expectedCode: corruption.code, sha256: sha256(body), bytes: body.byteLength, sentAt: now } });
    } else {
      const body = Buffer.from(JSON.stringify(telemetry));
      out.push({ body, record: { index, deviceId: telemetry.deviceId, kind: 'valid', telemetry, sha256: sha256(body), bytes: body.byteLength, sentAt: now } });
    }
    if (this.options.iotHub && !out[0]!.record.iotHub) out[0]!.record.iotHub = { deviceId: telemetry.deviceId, generationId: this.generationOf(telemetry.deviceId), source: 'Telemetry' };
    this.produced.push(out[0]!);
    if (this.produced.length > 1 && this.random() < this.options.duplicateRatio) {
      const original = this.produced[Math.floor(this.random() * (this.produced.length - 1))]!;
      const duplicate = { body: original.body, record: { ...original.record, index: this.produced.length, duplicateOf: original.record.duplicateOf ?? original.record.index, sentAt: now } };
      this.produced.push(duplicate);
      out.push(duplicate);
    }
    return out;
  }

  /** A device's auth generation id (stable per seed; a recreated device would get another). */
  generationOf(deviceId: string): string {
    return `gen-${this.options.seed}-${deviceId}`;
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

  private attackEvent(attack: IotHubAttack, telemetry: Telemetry, index: number, now: number): ScenarioEvent {
    const sender = telemetry.deviceId;
    const base = { deviceId: sender, generationId: this.generationOf(sender), attack };
    let body: Buffer;
    let record: SentEvent['iotHub'];
    let expectedCode: string;
    if (attack === 'spoof') {
      // A valid reading that names another drone of the fleet: sender tries to write its state.
      const victim = `drone-${String((Number(sender.slice(-5)) + 1) % this.options.devices).padStart(5, '0')}`;
      body = Buffer.from(JSON.stringify({ ...telemetry, deviceId: victim === sender ? `${sender}-x` : victim, battery: 0.01 }));
      record = { ...base, source: 'Telemetry' };
      expectedCode = 'EVENT_DEVICE_SPOOFED';
    } else if (attack === 'module') {
      body = Buffer.from(JSON.stringify(telemetry));
      record = { ...base, moduleId: 'camera', source: 'Telemetry' };
      expectedCode = 'EVENT_FROM_MODULE';
    } else {
      const twin = this.random() < 0.5;
      body = Buffer.from(JSON.stringify(twin ? { version: 2, properties: { reported: { battery: 0.99 } } } : { deviceId: sender, etag: 'AAAA', version: 1, status: 'enabled' }));
      record = { ...base, source: twin ? 'twinChangeEvents' : 'deviceLifecycleEvents' };
      expectedCode = 'EVENT_NOT_TELEMETRY';
    }
    return { body, record: { index, deviceId: sender, kind: 'corrupt', expectedCode, sha256: sha256(body), bytes: body.byteLength, sentAt: now, iotHub: record } };
  }
}
