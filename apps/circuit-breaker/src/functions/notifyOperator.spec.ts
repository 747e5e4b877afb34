import { InvocationContext } from '@azure/functions';
import type { BreakerNotice } from '@telemetry/breaker-rules';
import { loadBreakerSettings } from '../config';
import { testServices } from '../testing';
import { createNotifyOperator } from './notifyOperator';

const input = { kind: 'tripped', episode: 1, instanceId: 'i-1', at: '2026-12-01T10:00:00Z', reason: 'failures 21 > 20 in 15 s', counts: { STORE_UNAVAILABLE: 21 }, nonce: 'n-1', expiresAt: '2026-12-01T11:00:00Z' };
const base = { BREAKER_SWITCH: 'http', INGESTION_SWITCH_URL: 'http://127.0.0.1:1/admin/functions', INGESTION_SWITCH_KEY: 'k', APPROVAL_SIGNING_KEY: 'x'.repeat(40), PUBLIC_BASE_URL: 'https://breaker.example' };

describe('notifyOperator: every channel gets the notice with the signed link', () => {
  it('sends on each channel; a failing channel fails the activity (retried) but does not keep the notice from the others', async () => {
    const { services } = testServices({ ms: Date.parse('2026-12-01T10:00:00Z') });
    const got: BreakerNotice[] = [];
    services.notifiers = [
      { name: 'email', notifier: { notify: async () => { throw new Error('smtp down'); } } },
      { name: 'webhook', notifier: { notify: async (n) => { got.push(n); } } },
    ];
    const notify = createNotifyOperator(() => services);
    await expect(notify(input, new InvocationContext())).rejects.toMatchObject({ name: 'PipelineError' });
    expect(got).toHaveLength(1);
    expect(got[0]!.approveUrl).toMatch(/^https:\/\/breaker\.example\/api\/breaker\/approve\?token=v1\./);
    expect(got[0]).toMatchObject({ reason: input.reason, counts: input.counts });

    services.notifiers = services.notifiers.slice(1);
    await expect(notify(input, new InvocationContext())).resolves.toEqual({ delivered: true });
  });

  it('e-mail settings are checked at start: each transport names what it lacks', () => {
    expect(() => loadBreakerSettings({ ...base, BREAKER_EMAIL_TRANSPORT: 'smtp' })).toThrow(/BREAKER_EMAIL_FROM[\s\S]*BREAKER_EMAIL_TO[\s\S]*SMTP_HOST[\s\S]*SMTP_PORT/);
    expect(() => loadBreakerSettings({ ...base, BREAKER_EMAIL_TRANSPORT: 'acs', BREAKER_EMAIL_FROM: 'DoNotReply@x.azurecomm.net', BREAKER_EMAIL_TO: 'ops@x.com' })).toThrow(/ACS_ENDPOINT/);
    expect(() => loadBreakerSettings({ ...base, BREAKER_EMAIL_TRANSPORT: 'smtp', BREAKER_EMAIL_FROM: 'b@x.local', BREAKER_EMAIL_TO: 'ops@x.local, not-an-address', SMTP_HOST: 'h', SMTP_PORT: '25' })).toThrow(/BREAKER_EMAIL_TO/);
    const ok = loadBreakerSettings({ ...base, BREAKER_EMAIL_TRANSPORT: 'smtp', BREAKER_EMAIL_FROM: 'b@x.local', BREAKER_EMAIL_TO: 'ops@x.local, oncall@x.local', SMTP_HOST: '127.0.0.1', SMTP_PORT: '2525' });
    expect(ok).toMatchObject({ BREAKER_EMAIL_TO: ['ops@x.local', 'oncall@x.local'], SMTP_PORT: 2525 });
  });
});
