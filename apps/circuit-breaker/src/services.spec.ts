import type { Logger } from '@telemetry/core';
import { createBreakerServices } from './services';
import { TEST_SIGNING_KEY } from './testing';

/** A logger that keeps what it was told. */
function recordingLogger(): Logger & { warnings: { message: string; fields?: Record<string, unknown> }[] } {
  const warnings: { message: string; fields?: Record<string, unknown> }[] = [];
  return { info: () => undefined, error: () => undefined, warn: (message, fields) => void warnings.push({ message, ...(fields ? { fields } : {}) }), warnings };
}

describe('breaker services at start: a manual breaker nobody could approve is said at once', () => {
  const env = {
    BREAKER_SWITCH: 'http', INGESTION_SWITCH_URL: 'http://127.0.0.1:1/admin/functions', INGESTION_SWITCH_KEY: 'k',
    APPROVAL_SIGNING_KEY: TEST_SIGNING_KEY, PUBLIC_BASE_URL: 'https://breaker.example', FailureTracking: 'UseDevelopmentStorage=true',
  };
  const codes = (logger: ReturnType<typeof recordingLogger>) => logger.warnings.map((w) => w.fields?.['code']);

  it('manual mode, no channel, no operators: a coded warning naming what to configure', async () => {
    const logger = recordingLogger();
    const s = createBreakerServices(env, logger);
    expect(codes(logger)).toEqual(['BREAKER_UNREACHABLE_OPERATORS']);
    expect(logger.warnings[0]!.message).toMatch(/BREAKER_EMAIL_TRANSPORT, BREAKER_WEBHOOK_URL.*BREAKER_OPERATORS/);
    await s.telemetry.shutdown();
  });

  it('no warning with a channel, with operators, or in auto-probe mode', async () => {
    for (const extra of [{ BREAKER_WEBHOOK_URL: 'https://hooks.example/x' }, { BREAKER_OPERATORS: '00000000-0000-0000-0000-000000000001' }, { BREAKER_MODE: 'auto-probe' }]) {
      const logger = recordingLogger();
      const s = createBreakerServices({ ...env, ...extra }, logger);
      expect([extra, codes(logger)]).toEqual([extra, []]);
      await s.telemetry.shutdown();
    }
  });
});
