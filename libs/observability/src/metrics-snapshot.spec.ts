import fc from 'fast-check';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InMemoryMetrics } from './in-memory-metrics';
import { readMetricsSnapshotFile, writeMetricsSnapshotFile } from './metrics-snapshot-file';
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

describe('snapshot files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'obs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a snapshot and reports a file not written yet as undefined', async () => {
    const file = path.join(dir, 'ingestion.json');
    expect(await readMetricsSnapshotFile(file)).toBeUndefined();
    const snapshot = apply(new InMemoryMetrics(), [{ kind: 'dl', value: 2, code: 'INVALID_JSON' }]).snapshot();
    await writeMetricsSnapshotFile(file, { app: 'ingestion', pid: 1, at: '2026-11-21T00:00:00.000Z', snapshot });
    expect(await readMetricsSnapshotFile(file)).toEqual({ app: 'ingestion', pid: 1, at: '2026-11-21T00:00:00.000Z', snapshot });
  });
});
