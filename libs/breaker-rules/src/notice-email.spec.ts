import type { BreakerNotice } from './breaker-notice';
import { formatNoticeEmail } from './notice-email';
import { notifyAll } from './notifier-channels';

const trip: BreakerNotice = {
  kind: 'tripped', episode: 4, at: '2026-12-01T10:00:00Z', reason: 'failures 120 > 100 in 30 s',
  counts: { STORE_UNAVAILABLE: 110, STORE_TIMEOUT: 10 }, target: 'http: ingestion [ingestTelemetry]',
  approveUrl: 'https://breaker.example/api/breaker/approve?token=v1.eyJ4IjoxfQ.abc&x=<y>', expiresAt: '2026-12-01T11:00:00Z',
  statusUrl: 'https://breaker.example/api/breaker',
};

describe('formatNoticeEmail', () => {
  it('carries the reason, the counts and the resume link in both bodies, escaped in HTML', () => {
    const mail = formatNoticeEmail(trip);
    expect(mail.subject).toBe('[telemetry breaker] Telemetry ingestion paused: failure threshold crossed (episode 4)');
    expect(mail.text).toContain('Reason: failures 120 > 100 in 30 s');
    expect(mail.text).toContain('Failures: STORE_UNAVAILABLE: 110, STORE_TIMEOUT: 10');
    expect(mail.text.split('\n')).toContain(trip.approveUrl);
    expect(mail.html).toContain('href="https://breaker.example/api/breaker/approve?token=v1.eyJ4IjoxfQ.abc&amp;x=&lt;y&gt;"');
    expect(mail.html).toContain('failures 120 &gt; 100 in 30 s');
    expect(mail.html).not.toContain('<y>');
  });

  it('offers no resume link when the notice has none (closed, switch notices)', () => {
    const mail = formatNoticeEmail({ kind: 'closed', episode: 4, at: 'x', reason: 'approved by alice', counts: {}, target: 't' });
    expect(mail.subject).toContain('Telemetry ingestion resumed');
    expect(mail.text).not.toContain('Resume ingestion');
    expect(mail.html).not.toContain('<a ');
  });
});

describe('notifyAll', () => {
  it('tries every channel even when one fails, and reports each outcome', async () => {
    const got: string[] = [];
    const outcomes = await notifyAll([
      { name: 'email', notifier: { notify: async () => { throw new Error('smtp down'); } } },
      { name: 'webhook', notifier: { notify: async (n) => { got.push(n.kind); } } },
    ], trip);
    expect(got).toEqual(['tripped']);
    expect(outcomes.map((o) => [o.channel, o.delivered])).toEqual([['email', false], ['webhook', true]]);
    expect((outcomes[0]!.error as Error).message).toBe('smtp down');
  });
});
