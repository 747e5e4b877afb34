import fc from 'fast-check';
import { PipelineError } from '@telemetry/core';
import { coalesce } from './coalesce';
import { decodeTelemetry, type DecodedTelemetry } from './decode-telemetry';
import type { DeviceStatePatch } from './device-state';
import { authenticatedDevice, DeviceSpoofedError, readIotHubIdentity, type AuthenticatedDevice } from './iot-hub-identity';
import { applyPatch, documentFromPatch, patchFromDocument } from './merge';

const T0 = Date.parse('2026-11-21T22:00:00.000Z');
const iso = (ms: number): string => new Date(ms).toISOString();
const bytes = (v: unknown): Buffer => Buffer.from(JSON.stringify(v));
const sys = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  'iothub-connection-device-id': 'drone-7',
  'iothub-connection-auth-generation-id': '638000000000000001',
  'iothub-message-source': 'Telemetry',
  'iothub-enqueuedtime': iso(T0),
  'iothub-connection-auth-method': '{"scope":"device","type":"sas","issuer":"iothub"}',
  ...extra,
});
const codeOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(PipelineError);
    return (error as PipelineError).code;
  }
  return 'none';
};

describe('IoT Hub identity', () => {
  it('reads the system properties with the types the Functions extension delivers (DateTime as a JSON date string)', () => {
    expect(readIotHubIdentity(sys({ 'iothub-connection-module-id': 'camera' }))).toEqual({
      deviceId: 'drone-7', moduleId: 'camera', authGenerationId: '638000000000000001', messageSource: 'Telemetry', enqueuedTime: iso(T0),
    });
    // The same instant as a Date or epoch number (other hosts and SDKs) reads the same.
    expect(readIotHubIdentity(sys({ 'iothub-enqueuedtime': new Date(T0) })).enqueuedTime).toBe(iso(T0));
    expect(readIotHubIdentity(sys({ 'iothub-enqueuedtime': T0 })).enqueuedTime).toBe(iso(T0));
    expect(readIotHubIdentity(undefined)).toEqual({ deviceId: null, moduleId: null, authGenerationId: null, messageSource: null, enqueuedTime: null });
  });

  it('never throws: a time no Date can hold (a hostile 1e20, Infinity, an invalid Date, out-of-range text) reads as no time', () => {
    for (const bad of [1e20, -1e20, Infinity, NaN, new Date(Number.NaN), '+275760-09-13T00:00:00.001Z', 'soon', {}, [T0]]) {
      expect(readIotHubIdentity(sys({ 'iothub-enqueuedtime': bad })).enqueuedTime).toBeNull();
    }
  });

  it('classifies: missing or impossible id, non-telemetry sources, modules; telemetry from the device passes', () => {
    const check = (p: Record<string, unknown>): string => codeOf(() => authenticatedDevice(readIotHubIdentity(p), T0));
    expect(check({})).toBe('EVENT_IDENTITY_MISSING');
    expect(check(sys({ 'iothub-connection-device-id': 'a/b' }))).toBe('EVENT_IDENTITY_MISSING');
    expect(check(sys({ 'iothub-connection-device-id': 'x'.repeat(129) }))).toBe('EVENT_IDENTITY_MISSING');
    for (const source of ['twinChangeEvents', 'deviceLifecycleEvents', 'deviceConnectionStateEvents', 'digitalTwinChangeEvents']) {
      expect(check(sys({ 'iothub-message-source': source }))).toBe('EVENT_NOT_TELEMETRY');
      // A module's lifecycle event is a non-telemetry event first.
      expect(check(sys({ 'iothub-message-source': source, 'iothub-connection-module-id': 'm' }))).toBe('EVENT_NOT_TELEMETRY');
    }
    expect(check(sys({ 'iothub-connection-module-id': 'camera' }))).toBe('EVENT_FROM_MODULE');
    expect(authenticatedDevice(readIotHubIdentity(sys({ 'iothub-connection-device-id': "a?b#c%d'(e)" })), T0)).toEqual({
      deviceId: "a?b#c%d'(e)", generation: { id: '638000000000000001', at: T0 },
    });
    // No iothub-enqueuedtime: the Event Hubs enqueued time orders the generation.
    expect(authenticatedDevice(readIotHubIdentity(sys({ 'iothub-enqueuedtime': undefined })), T0 + 5).generation).toEqual({ id: '638000000000000001', at: T0 + 5 });
  });

  it('the authenticated id is the device id: absent or equal body ids pass, another id is spoofing with both ids', () => {
    const device: AuthenticatedDevice = { deviceId: 'x?y', generation: { id: 'g1', at: T0 } };
    const event = { timestamp: iso(T0), battery: 0.5 };
    expect(decodeTelemetry(bytes(event), device)).toEqual({ telemetry: { deviceId: 'x?y', ...event }, time: T0, generation: { id: 'g1', at: T0 } });
    expect(decodeTelemetry(bytes({ ...event, deviceId: 'x?y' }), device).telemetry.deviceId).toBe('x?y');
    let thrown: unknown;
    try {
      decodeTelemetry(bytes({ ...event, deviceId: 'drone-00001' }), device);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DeviceSpoofedError);
    expect(thrown).toMatchObject({ code: 'EVENT_DEVICE_SPOOFED', retryable: false, authenticatedDeviceId: 'x?y', claimedDeviceId: 'drone-00001' });
    expect(codeOf(() => decodeTelemetry(bytes({ ...event, deviceId: 42 }), device))).toBe('EVENT_INVALID');
    expect(codeOf(() => decodeTelemetry(bytes({ ...event, battery: 2 }), device))).toBe('EVENT_INVALID');
    // Body mode is unchanged: the body's id, and the body rule.
    expect(codeOf(() => decodeTelemetry(bytes({ ...event, deviceId: 'x?y' })))).toBe('EVENT_INVALID');
  });

  it('spoofing is decided before anything else in the body: an invalid spoofed body is still a spoof', () => {
    fc.assert(fc.property(fc.string({ minLength: 1, maxLength: 20 }), fc.anything(), (claimed, battery) => {
      fc.pre(claimed !== 'drone-7');
      expect(codeOf(() => decodeTelemetry(bytes({ deviceId: claimed, timestamp: iso(T0), battery }), { deviceId: 'drone-7' }))).toBe('EVENT_DEVICE_SPOOFED');
    }), { numRuns: 300 });
  });
});

describe('recreated devices (generations)', () => {
  const ev = (generation: string, enqueuedMs: number, timestampMs: number, battery: number): DecodedTelemetry =>
    decodeTelemetry(bytes({ timestamp: iso(timestampMs), battery }), { deviceId: 'drone-7', generation: { id: generation, at: enqueuedMs } });

  /** Applies batches one after another through the document form, as the store does. */
  function store(batches: DecodedTelemetry[][]): DeviceStatePatch | undefined {
    let state: DeviceStatePatch | undefined;
    for (const batch of batches) {
      for (const patch of coalesce(batch).values()) {
        const current = state ? patchFromDocument(documentFromPatch(state, new Date())) : undefined;
        state = applyPatch(current, patch).next;
      }
    }
    return state;
  }

  it('a newer generation starts the state afresh, even with older device timestamps', () => {
    const state = store([[ev('g1', T0, T0 + 60_000, 0.9)], [ev('g2', T0 + 10_000, T0 + 1_000, 0.1)]]);
    expect(state).toMatchObject({ lastEventTime: T0 + 1_000, fields: { battery: { value: 0.1 } }, generation: { id: 'g2' } });
    expect(documentFromPatch(state!, new Date()).generation).toEqual({ id: 'g2', seenAt: iso(T0 + 10_000) });
  });

  it("late events of the old generation change nothing (not applied, not written)", () => {
    const after = store([[ev('g2', T0 + 10_000, T0 + 1_000, 0.1)]])!;
    const late = coalesce([ev('g1', T0 + 5_000, T0 + 90_000, 0.9)]).get('drone-7')!;
    const { next, changed } = applyPatch(patchFromDocument(documentFromPatch(after, new Date())), late);
    expect(changed).toBe(false);
    expect(next.fields.battery?.value).toBe(0.1);
  });

  it('state is independent of order and batch boundaries across generations', () => {
    // Generations are separated in enqueued time (g1 before g2 before g3), as IoT Hub guarantees.
    const arb = fc.record({ g: fc.integer({ min: 1, max: 3 }), e: fc.integer({ min: 0, max: 999 }), t: fc.integer({ min: 0, max: 50 }), b: fc.integer({ min: 0, max: 100 }) })
      .map(({ g, e, t, b }) => ev(`g${g}`, T0 + g * 1_000 + e, T0 + t, b / 100));
    fc.assert(fc.property(fc.array(arb, { minLength: 1, maxLength: 30 }), fc.integer(), fc.nat(30), (events, seed, cut) => {
      const expected = store([events]);
      const shuffled = fc.sample(fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }), { seed, numRuns: 1 })[0]!;
      const actual = store([shuffled.slice(0, cut), shuffled.slice(cut)]);
      const view = (p: DeviceStatePatch | undefined) => p && { ...documentFromPatch(p, new Date(0)), generation: p.generation?.id };
      expect(view(actual)).toEqual(view(expected));
      // Only the newest generation's events count.
      const newest = Math.max(...events.map((e) => Number(e.generation!.id.slice(1))));
      expect(actual!.generation!.id).toBe(`g${newest}`);
    }), { numRuns: 300 });
  });

  it('a body-mode document (no generation) is replaced by the first IoT Hub generation', () => {
    const bodyMode = decodeTelemetry(bytes({ deviceId: 'drone-7', timestamp: iso(T0 + 50_000), battery: 0.3 }));
    const state = store([[bodyMode], [ev('g1', T0, T0, 0.8)]]);
    expect(state).toMatchObject({ fields: { battery: { value: 0.8 } }, generation: { id: 'g1' } });
    expect(store([[ev('g1', T0, T0, 0.8)], [bodyMode]])).toEqual(state);
  });
});
