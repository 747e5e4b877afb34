// Runs in its own process (see create-telemetry-metrics.spec.ts): records a fixed set of metrics
// through createTelemetryMetrics with the settings given as JSON in argv[2], then shuts down,
// which exports them. Optional argv[3]: a static token, standing in for the managed identity.
import { createTelemetryMetrics } from '../create-telemetry-metrics';
import type { ObservabilitySettings } from '../observability-settings';

async function main(): Promise<void> {
  const settings = JSON.parse(process.argv[2] ?? '{}') as ObservabilitySettings;
  const token = process.argv[3];
  const credential = token ? { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) } : undefined;
  const telemetry = createTelemetryMetrics({ app: 'ingestion', settings, credential });
  const m = telemetry.metrics;
  m.record('telemetry.batch.size', 256);
  m.record('telemetry.batch.size', 44);
  m.count('telemetry.events.applied', 299);
  m.count('telemetry.events.deadlettered', 1, { code: 'SCHEMA_VIOLATION' });
  m.count('telemetry.store.retries', 3);
  m.count('telemetry.store.throttles', 2);
  m.count('breaker.state.changes', 1, { to: 'open' });
  m.count('reprocessor.outcomes', 4, { outcome: 'parked', code: 'INVALID_JSON' });
  await telemetry.shutdown();
  process.stdout.write(JSON.stringify({ exporter: telemetry.exporter }) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
