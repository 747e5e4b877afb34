import type { BreakerNotice } from '@telemetry/breaker-rules';
import { AcsEmailNotifier } from './acs-email-notifier';
import { ACS_TOKEN_AUDIENCE, startLoopbackAcsEmailServer, type LoopbackAcsEmailServer } from './testing';

const notice: BreakerNotice = {
  kind: 'tripped', episode: 2, at: '2026-12-01T10:00:00Z', reason: 'failures 120 > 100 in 30 s',
  counts: { STORE_UNAVAILABLE: 120 }, target: 'arm-app: rg/func-ingestion',
  approveUrl: 'https://func-circuit-breaker.azurewebsites.net/api/breaker/approve?token=v1.eyJ4IjoxfQ.mac', expiresAt: '2026-12-01T11:00:00Z',
};

describe('AcsEmailNotifier: the real @azure/communication-email client against a loopback ACS Email stand-in', () => {
  let acs: LoopbackAcsEmailServer;
  beforeEach(async () => {
    acs = await startLoopbackAcsEmailServer({ senderDomain: 'contoso.azurecomm.net' });
  });
  afterEach(async () => acs?.stop());

  const notifier = (overrides: { credential?: LoopbackAcsEmailServer['credential']; sender?: string; maxRetries?: number } = {}) => new AcsEmailNotifier({
    endpoint: acs.endpoint,
    credential: overrides.credential ?? acs.credential,
    sender: overrides.sender ?? 'DoNotReply@contoso.azurecomm.net',
    recipients: ['ops@contoso.com', 'oncall@contoso.com'],
    clientOptions: { agent: acs.agent, retryOptions: { maxRetries: overrides.maxRetries ?? 0, retryDelayInMs: 1, maxRetryDelayInMs: 5 } },
    pollIntervalMs: 5,
  });

  it('sends the notice as one message (sender, every recipient, subject, text and HTML with the resume link) with a Bearer token for ACS, and waits for the operation', async () => {
    await notifier().notify(notice);
    expect(acs.deliveries).toHaveLength(1);
    const d = acs.deliveries[0]!;
    expect(d).toMatchObject({ senderAddress: 'DoNotReply@contoso.azurecomm.net', to: ['ops@contoso.com', 'oncall@contoso.com'] });
    expect(d.subject).toContain('Telemetry ingestion paused');
    expect(d.plainText).toContain(notice.approveUrl);
    expect(d.plainText).toContain('STORE_UNAVAILABLE: 120');
    expect(d.html).toContain('Resume ingestion');
    // What went over the wire: the spec's api-version, JSON body, tracking off; and the token's scope.
    expect(acs.sends[0]!.apiVersion).toBe('2025-09-01');
    expect(acs.sends[0]!.authorization).toMatch(/^Bearer /);
    expect(acs.sends[0]!.body).toMatchObject({ userEngagementTrackingDisabled: true, content: { subject: d.subject } });
    expect(acs.scopesRequested.every((s) => s.startsWith(ACS_TOKEN_AUDIENCE) && s.endsWith('/.default'))).toBe(true);
    // The long-running operation was polled to its terminal state (Running first, then Succeeded).
    expect(acs.polls).toBeGreaterThanOrEqual(2);
  });

  it('a token for another audience is refused (401): a permanent coded error, nothing accepted', async () => {
    const wrongAudience = { getToken: async () => acs.credential.getToken('https://management.azure.com/.default') };
    await expect(notifier({ credential: wrongAudience }).notify(notice)).rejects.toMatchObject({ name: 'PipelineError', code: 'UNKNOWN', retryable: false, message: expect.stringContaining('401') });
    expect(acs.deliveries).toEqual([]);
    expect(acs.sends).toHaveLength(1);
  });

  it('a sender off the linked domain is a 400 from the service: permanent', async () => {
    await expect(notifier({ sender: 'breaker@elsewhere.example' }).notify(notice)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('400') });
    expect(acs.deliveries).toEqual([]);
  });

  it('throttling (429) and 5xx: the SDK retries them; past its budget they surface as retryable', async () => {
    acs.failNext(429, 2);
    await notifier({ maxRetries: 3 }).notify(notice);
    expect(acs.sends).toHaveLength(3);
    expect(acs.deliveries).toHaveLength(1);

    for (const status of [429, 503, 500]) {
      acs.failNext(status, 10);
      await expect(notifier({ maxRetries: 0 }).notify(notice)).rejects.toMatchObject({ name: 'PipelineError', retryable: true, message: expect.stringContaining(String(status)) });
    }
    expect(acs.deliveries).toHaveLength(1);
  });

  it('an operation that ends Failed is a permanent error naming the service\'s code', async () => {
    acs.failOperations('RecipientRejected');
    await expect(notifier().notify(notice)).rejects.toMatchObject({ retryable: false, message: expect.stringContaining('RecipientRejected') });
  });
});
