import type { BreakerNotice } from '@telemetry/breaker-rules';
import { freePort, listMailDevEmails, startMailDev, waitUntil, type MailDevInstance } from '@telemetry/local-services';
import { SmtpEmailNotifier } from './smtp-email-notifier';

const notice: BreakerNotice = {
  kind: 'tripped', episode: 1, at: '2026-12-01T10:00:00Z', reason: 'failures 30 > 20 in 15 s',
  counts: { STORE_UNAVAILABLE: 30 }, target: 'http: ingestion [ingestTelemetry]',
  approveUrl: 'http://127.0.0.1:7072/api/breaker/approve?token=v1.eyJ4IjoxfQ.mac', expiresAt: '2026-12-01T11:00:00Z',
};

describe('SmtpEmailNotifier against a real mail catcher (MailDev)', () => {
  let mail: MailDevInstance;
  beforeAll(async () => {
    mail = await startMailDev();
  }, 120_000);
  afterAll(async () => mail?.stop());

  it('delivers the notice to every operator, with the resume link in text and HTML', async () => {
    await new SmtpEmailNotifier({ host: mail.smtpHost, port: mail.smtpPort, from: 'breaker@telemetry.local', to: ['ops@telemetry.local', 'oncall@telemetry.local'] }).notify(notice);
    const [got] = await waitUntil(async () => { const l = await listMailDevEmails(mail); return l.length > 0 ? l : undefined; }, { timeoutMs: 30_000, description: 'mail received' });
    expect(got!.subject).toContain('Telemetry ingestion paused');
    expect(got!.from.map((a) => a.address)).toEqual(['breaker@telemetry.local']);
    expect(got!.to.map((a) => a.address)).toEqual(['ops@telemetry.local', 'oncall@telemetry.local']);
    expect(got!.text).toContain(notice.approveUrl);
    expect(got!.text).toContain('STORE_UNAVAILABLE: 30');
    expect(got!.html).toContain('Resume ingestion');
  }, 60_000);

  it('an unreachable server is a retryable coded error', async () => {
    const nobody = await freePort();
    await expect(new SmtpEmailNotifier({ host: '127.0.0.1', port: nobody, from: 'a@b.local', to: ['c@d.local'], timeoutMs: 5_000 }).notify(notice))
      .rejects.toMatchObject({ name: 'PipelineError', code: 'UNKNOWN', retryable: true });
  }, 30_000);
});
