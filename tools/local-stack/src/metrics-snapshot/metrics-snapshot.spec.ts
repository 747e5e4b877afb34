import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { defineAppServices, hostExtensions } from '@telemetry/function-app-kit';
import { waitUntil } from '@telemetry/local-services';
import { counterTotal, createTelemetryMetrics, emptySnapshot } from '@telemetry/observability';
import { readMetricsSnapshotFile, writeMetricsSnapshotFile } from './metrics-snapshot-file';
import { addHostExtension } from './metrics-snapshot-plugin';
import { metricsSnapshotWriter } from './metrics-snapshot-writer';

describe('metrics snapshot files (local stack)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'metrics-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('round-trips a snapshot and reports a file not written yet as undefined', async () => {
    const file = path.join(dir, 'roundtrip.json');
    expect(await readMetricsSnapshotFile(file)).toBeUndefined();
    const telemetry = createTelemetryMetrics({ app: 'ingestion', settings: {} });
    telemetry.metrics.count('telemetry.events.deadlettered', 2, { code: 'INVALID_JSON' });
    const snapshot = telemetry.memory.snapshot();
    await writeMetricsSnapshotFile(file, { app: 'ingestion', pid: 1, at: '2026-11-21T00:00:00.000Z', snapshot });
    expect(await readMetricsSnapshotFile(file)).toEqual({ app: 'ingestion', pid: 1, at: '2026-11-21T00:00:00.000Z', snapshot });
  });

  it("an app instance's metrics are written periodically and once more when it stops, through the kit's host extensions", async () => {
    const file = path.join(dir, 'ingestion-1.json');
    const before = hostExtensions().length;
    addHostExtension(metricsSnapshotWriter(file, 50));
    // The plugin and the kit name the same process-wide list.
    expect(hostExtensions()).toHaveLength(before + 1);
    const services = defineAppServices({ app: 'ingestion', env: () => ({}), create: () => ({ telemetry: createTelemetryMetrics({ app: 'ingestion', settings: {} }) }) });
    const { telemetry } = services.start();
    telemetry.metrics.count('telemetry.events.applied', 42);
    telemetry.metrics.count('telemetry.events.deadlettered', 1, { code: 'INVALID_JSON' });
    await waitUntil(async () => counterTotal((await readMetricsSnapshotFile(file))?.snapshot ?? emptySnapshot(), 'telemetry.events.applied') === 42, {
      timeoutMs: 60_000,
      description: 'periodic snapshot written',
    });
    telemetry.metrics.count('telemetry.events.applied', 1);
    await services.stop();
    const written = await readMetricsSnapshotFile(file);
    expect(written).toMatchObject({ app: 'ingestion', pid: process.pid });
    expect(counterTotal(written!.snapshot, 'telemetry.events.applied')).toBe(43);
    expect(counterTotal(written!.snapshot, 'telemetry.events.deadlettered', { code: 'INVALID_JSON' })).toBe(1);
  });
});
