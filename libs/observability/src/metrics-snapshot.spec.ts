import fc from 'fast-check';
import { InMemoryMetrics } from './in-memory-metrics';
import { mergeSnapshots } from './metrics-snapshot';

type Op = { kind: 'applied'; value: number } | { kind: 'dl'; value: number; code: string } | { kind: 'batch'; value: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('applied' as const), value: fc.nat(500) }),
  fc.record({ kind: fc.constant('dl' as const), value: fc.nat(50), code: fc.constantFrom('INVALID_JSON', 'STORE_REJECTED') }),
  fc.record({ kind: fc.constant('batch' as const), value: fc.integer({ min: 1, max: 256 }) }),
);

function apply(m: InMemoryMetrics, ops: readonly Op[]): InMemoryMetrics {
  for (const o of ops) {
    if (o.kind === 'applied') m.count('telemetry.events.applied', o.value);
    else if (o.kind === 'dl') m.count('telemetry.events.deadlettered', o.value, { code: o.code });
    else m.record('telemetry.batch.size', o.value);
  }
  return m;
}

describe('mergeSnapshots', () => {
  it('merging the snapshots of instances equals one instance that saw everything', () => {
    fc.assert(
      fc.property(fc.array(fc.array(op, { maxLength: 40 }), { minLength: 1, maxLength: 4 }), (perInstance) => {
        const merged = mergeSnapshots(perInstance.map((ops) => apply(new InMemoryMetrics(), ops).snapshot()));
        const whole = apply(new InMemoryMetrics(), perInstance.flat()).snapshot();
        expect(merged).toEqual(whole);
      }),
    );
  });
});
