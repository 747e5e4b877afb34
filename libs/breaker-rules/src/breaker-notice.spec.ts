import { formatNotice } from './breaker-notice';
import { formatNoticeEmail } from './notice-email';

describe('formatNotice: switch notices (issue 13 item 9)', () => {
  it('says what the switch should do, how often it failed, with which code and when it tries next', () => {
    const message = formatNotice({
      kind: 'switch-failing', episode: 3, at: '2026-11-21T12:00:05Z', reason: 'the pause call failed 10 times (STORE_UNAVAILABLE); retrying until it works',
      counts: {}, target: 'arm-function: rg/app [ingestTelemetry]', statusUrl: 'https://breaker.example/api/breaker',
      switch: { target: 'paused', attempts: 10, lastError: 'STORE_UNAVAILABLE', nextAttemptAt: '2026-11-21T12:05:05Z' },
    });
    expect(message.title).toBe('Circuit breaker cannot switch ingestion: retrying');
    expect(message.text).toContain('Switch: ingestion should be paused; 10 failed tries (last: STORE_UNAVAILABLE); next try 2026-11-21T12:05:05Z');
    expect(message.text).not.toContain('Resume (single use');
    expect(formatNotice({ kind: 'switch-recovered', episode: 3, at: 'x', reason: 'ingestion paused after 10 failed tries', counts: {}, target: 't', switch: { target: 'paused', attempts: 10 } }).title)
      .toBe('Circuit breaker switch works again');
  });
});

describe('formatNotice / formatNoticeEmail: what opened the episode', () => {
  const base = { kind: 'tripped' as const, episode: 4, at: '2026-12-02T03:00:00Z', target: 'arm-app: rg/ingestion', approveUrl: 'https://breaker.example/api/breaker/approve?token=v1.x', expiresAt: '2026-12-02T04:00:00Z' };

  it('a manual trip says an operator tripped it, not that a threshold was crossed, and that it has no failures', () => {
    const manual = { ...base, reason: 'maintenance of the store', counts: {}, trigger: 'manual' as const };
    expect(formatNotice(manual).title).toBe('Telemetry ingestion paused: tripped by an operator');
    expect(formatNotice(manual).text).toContain('Failures: none (a manual trip)');
    const mail = formatNoticeEmail(manual);
    expect(mail.subject).toBe('[telemetry breaker] Telemetry ingestion paused: tripped by an operator (episode 4)');
    expect(mail.text).not.toMatch(/threshold/);
  });

  it('a threshold trip (or a notice from before the field) keeps its title and counts', () => {
    const counted = { ...base, reason: '154 failures in the last 30 s (threshold 100)', counts: { STORE_UNAVAILABLE: 154 } };
    expect(formatNotice(counted).title).toBe('Telemetry ingestion paused: failure threshold crossed');
    expect(formatNotice({ ...counted, trigger: 'threshold' }).text).toContain('Failures: STORE_UNAVAILABLE: 154');
    expect(formatNoticeEmail(counted).subject).toContain('failure threshold crossed');
  });
});
