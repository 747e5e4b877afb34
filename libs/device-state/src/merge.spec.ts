import fc from 'fast-check';
import { coalesce } from './coalesce';
import { checkDeviceClock } from './device-clock';
import type { DecodedTelemetry } from './decode-telemetry';
import type { DeviceStatePatch } from './device-state';
import { applyPatch, documentFromPatch, mergeEventInto, mergeInto, mergePatches, patchFromDocument, patchOf } from './merge';
import type { Telemetry } from './telemetry';
import { comparableState, expectedStates, telemetryArbitrary } from './testing';

const decoded = (t: Telemetry): DecodedTelemetry => ({ telemetry: t, time: Date.parse(t.timestamp) });

/** Stores batches one after another through applyPatch, as the repository does. */
function storeInBatches(batches: Telemetry[][]): Map<string, object> {
  const state = new Map<string, DeviceStatePatch>();
  for (const batch of batches) {
    for (const [deviceId, patch] of coalesce(batch.map(decoded))) {
      // Round-trip through the document form each time, as a real store would.
      const stored = state.get(deviceId);
      const current = stored ? patchFromDocument(documentFromPatch(stored, new Date())) : undefined;
      state.set(deviceId, applyPatch(current, patch).next);
    }
  }
  const docs = new Map<string, object>();
  for (const [id, patch] of state) docs.set(id, comparableState(documentFromPatch(patch, new Date(0))));
  return docs;
}

/** Splits a list into consecutive chunks at the given cut points. */
function split<T>(items: T[], cuts: number[]): T[][] {
  const points = [...new Set(cuts.map((c) => c % (items.length + 1)))].sort((a, b) => a - b);
  const out: T[][] = [];
  let start = 0;
  for (const p of [...points, items.length]) {
    out.push(items.slice(start, p));
    start = p;
  }
  return out;
}

describe('the merge rule', () => {
  it('equals the independent model, whatever the order, duplicates and batch boundaries', () => {
    fc.assert(
      fc.property(
        fc.array(telemetryArbitrary(), { minLength: 1, maxLength: 60 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.array(fc.nat(), { maxLength: 20 }),
        fc.integer(),
        (events, cuts, dupIdx, seed) => {
          const expected = expectedStates(events);
          // at-least-once: duplicate some events, then shuffle deterministically from the seed
          const delivered = [...events, ...dupIdx.map((i) => events[i % events.length]!)];
          const shuffled = fc.sample(fc.shuffledSubarray(delivered, { minLength: delivered.length, maxLength: delivered.length }), { seed, numRuns: 1 })[0]!;
          const stored = storeInBatches(split(shuffled, cuts));
          expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort().map(([k, v]) => [k, { ...v }])));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('folding an event in directly equals merging its patch', () => {
    fc.assert(
      fc.property(fc.array(telemetryArbitrary(1), { minLength: 1, maxLength: 6 }), telemetryArbitrary(1), (earlier, event) => {
        const viaPatch = coalesce(earlier.map(decoded)).get('drone-00000')!;
        const direct = structuredClone(viaPatch);
        mergeInto(viaPatch, patchOf(decoded(event)));
        mergeEventInto(direct, decoded(event));
        expect(direct).toEqual(viaPatch);
      }),
      { numRuns: 1000 },
    );
  });

  it('merge is associative, commutative and idempotent', () => {
    const patch = fc.array(telemetryArbitrary(1), { minLength: 1, maxLength: 5 }).map((ts) => coalesce(ts.map(decoded)).values().next().value as DeviceStatePatch);
    fc.assert(
      fc.property(patch, patch, patch, (a, b, c) => {
        expect(mergePatches(a, b)).toEqual(mergePatches(b, a));
        expect(mergePatches(mergePatches(a, b), c)).toEqual(mergePatches(a, mergePatches(b, c)));
        expect(mergePatches(a, a)).toEqual(a);
      }),
      { numRuns: 500 },
    );
  });

  it('reports no change for a duplicate or an older event, so no write is needed', () => {
    const newer = decoded({ deviceId: 'd', timestamp: '2026-11-21T22:00:05Z', battery: 0.5 });
    const older = decoded({ deviceId: 'd', timestamp: '2026-11-21T22:00:01Z', battery: 0.9 });
    const state = coalesce([newer]).get('d')!;
    expect(applyPatch(state, coalesce([newer]).get('d')!).changed).toBe(false);
    expect(applyPatch(state, coalesce([older]).get('d')!).changed).toBe(false);
    const olderWithNewField = decoded({ deviceId: 'd', timestamp: '2026-11-21T22:00:01Z', flightMode: 2 });
    const r = applyPatch(state, coalesce([olderWithNewField]).get('d')!);
    expect(r.changed).toBe(true);
    expect(documentFromPatch(r.next, new Date())).toMatchObject({ battery: 0.5, flightMode: 2, lastEventTime: '2026-11-21T22:00:05.000Z' });
  });

  describe('with the device-clock rule in front (it filters merge inputs)', () => {
    const BASE = Date.parse('2026-11-21T22:00:00.000Z');
    const LIMIT_S = 300;
    const admitted = (t: Telemetry, enqueuedAt: number): boolean => {
      try {
        checkDeviceClock(decoded(t), enqueuedAt, LIMIT_S);
        return true;
      } catch {
        return false;
      }
    };
    // Events over ~1 h, enqueued within ~1 h around them: some far ahead of their enqueued time.
    const delivery = fc.record({ event: telemetryArbitrary(4, 3_600_000), enqueuedAt: fc.integer({ min: BASE - 1_800_000, max: BASE + 1_800_000 }) });

    it('the stored state equals the model over the admitted events, whatever the order, duplicates and batches', () => {
      fc.assert(
        fc.property(fc.array(delivery, { minLength: 1, maxLength: 40 }), fc.array(fc.nat(), { maxLength: 6 }), fc.array(fc.nat(), { maxLength: 10 }), fc.integer(), (deliveries, cuts, dupIdx, seed) => {
          const all = [...deliveries, ...dupIdx.map((i) => deliveries[i % deliveries.length]!)];
          const shuffled = fc.sample(fc.shuffledSubarray(all, { minLength: all.length, maxLength: all.length }), { seed, numRuns: 1 })[0]!;
          const stored = storeInBatches(split(shuffled, cuts).map((batch) => batch.filter((d) => admitted(d.event, d.enqueuedAt)).map((d) => d.event)));
          const expected = expectedStates(deliveries.filter((d) => admitted(d.event, d.enqueuedAt)).map((d) => d.event));
          expect(new Map([...stored].sort())).toEqual(new Map([...expected].sort().map(([k, v]) => [k, { ...v }])));
        }),
        { numRuns: 300 },
      );
    });

    it('no admitted event can hold a field against an honest event stamped more than the limit after its enqueued time', () => {
      fc.assert(
        fc.property(delivery, fc.integer({ min: 1, max: 86_400_000 }), fc.double({ min: 0, max: 1, noNaN: true }), ({ event, enqueuedAt }, laterMs, battery) => {
          fc.pre(admitted(event, enqueuedAt));
          const honestTime = enqueuedAt + LIMIT_S * 1000 + laterMs;
          const honest: Telemetry = { deviceId: event.deviceId, timestamp: new Date(honestTime).toISOString(), battery };
          fc.pre(admitted(honest, honestTime));
          const state = coalesce([decoded(event), decoded(honest)]).get(event.deviceId)!;
          expect(state.fields.battery).toEqual({ value: battery, at: honestTime });
        }),
        { numRuns: 1000 },
      );
    });
  });
});

describe('a stored document the product did not write as expected never stops its device', () => {
  const incoming: DeviceStatePatch = { deviceId: 'drone-1', lastEventTime: Date.parse('2026-12-01T10:00:00Z'), fields: { battery: { value: 0.5, at: Date.parse('2026-12-01T10:00:00Z') } } };
  const corrupt = [
    { deviceId: 'drone-1', battery: 0.9, fieldTimes: { battery: '2026-12-01T09:00:00Z' } },
    { deviceId: 'drone-1', lastEventTime: 'yesterday', battery: 0.9, fieldTimes: { battery: 'not a time', flightMode: 7 }, flightMode: 'hover' },
    { deviceId: 'drone-1', lastEventTime: 12345, fieldTimes: null, generation: { id: 'g1', seenAt: 'garbage' } },
    { deviceId: 'drone-1', lastEventTime: '2026-12-01T09:00:00Z', generation: { id: 42 } },
  ];

  it.each(corrupt.map((doc, i) => [i, doc] as const))('document %i: read without NaN, merged, written back valid', (_i, doc) => {
    const current = patchFromDocument(doc as never);
    expect(Number.isFinite(current.lastEventTime)).toBe(true);
    for (const stamped of Object.values(current.fields)) expect(Number.isFinite(stamped.at)).toBe(true);
    const { next, changed } = applyPatch(current, incoming);
    expect(changed).toBe(true);
    const written = documentFromPatch(next, new Date('2026-12-01T10:00:01Z'));
    expect(written).toMatchObject({ deviceId: 'drone-1', battery: 0.5, lastEventTime: '2026-12-01T10:00:00.000Z', fieldTimes: { battery: '2026-12-01T10:00:00.000Z' } });
  });
});
