import { silentLogger } from '@telemetry/core';
import { createTelemetryMetrics } from '@telemetry/observability';
import { InMemoryIngestionSwitch, RecordingNotifier } from '@telemetry/breaker-rules/testing';
import { InMemoryFailureCounter } from '@telemetry/failure-tracking/testing';
import { loadBreakerSettings, policyFrom } from '../config';
import type { BreakerServices } from '../services';

export const TEST_SIGNING_KEY = 'unit-test-approval-signing-key-0123456789';

/** Services with in-memory adapters and a settable clock, for handler unit tests. */
export function testServices(now: { ms: number }, env: Record<string, string> = {}) {
  const settings = loadBreakerSettings({
    BREAKER_SWITCH: 'http', INGESTION_SWITCH_URL: 'http://127.0.0.1:1/admin/functions', INGESTION_SWITCH_KEY: 'k',
    APPROVAL_SIGNING_KEY: TEST_SIGNING_KEY, PUBLIC_BASE_URL: 'https://breaker.example', ...env,
  });
  const failures = new InMemoryFailureCounter(() => now.ms);
  const ingestion = new InMemoryIngestionSwitch();
  const notifier = new RecordingNotifier();
  const telemetry = createTelemetryMetrics({ app: 'circuit-breaker', settings: {} });
  const services: BreakerServices = { settings, policy: policyFrom(settings), failures, ingestion, notifiers: [{ name: 'recording', notifier }], logger: silentLogger, clock: () => now.ms, telemetry };
  return { services, failures, ingestion, notifier };
}
