import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CosmosClient, type Container } from '@azure/cosmos';
import { EventHubProducerClient } from '@azure/event-hubs';
import { QueueClient } from '@azure/storage-queue';
import type { Browser } from 'playwright-core';
import { eventHubLagFromSettings, type EventHubLagSource } from '@telemetry/azure-event-hubs';
import { decodeDeadLetter, type BreakerStatusReport, type StackDescriptor } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import type { SpawnedHost } from '@telemetry/local-host';
import { launchChromium, listMailDevEmails, waitUntil, type FaultProxy } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';

const THRESHOLD = 20;

/**
 * Issue 19 part 3, the seed's operator loop end to end in Chromium: a Cosmos outage trips the
 * breaker; the operator e-mail (SMTP to the stack's MailDev) carries the reason, the counts and the
 * signed resume link; the operator opens it in MailDev's web UI, follows the link, confirms on the
 * breaker's page; ingestion resumes from its checkpoints and every event sent while paused lands in
 * Cosmos (none replayed from before the checkpoint, none skipped).
 */
describe('operator e-mail loop in the browser: trip -> e-mail in MailDev -> resume link -> confirm -> nothing lost', () => {
  let tmp: string;
  let stack: LocalStack;
  let proxy: FaultProxy;
  let ingestion: SpawnedHost;
  let breaker: SpawnedHost;
  let browser: Browser;
  let container: Container;
  let deadLetters: QueueClient;
  let producer: EventHubProducerClient;
  let lag: EventHubLagSource;
  const descriptorFile = () => path.join(tmp, 'stack.json');

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'breaker-mail-e2e-'));
    [stack, browser] = await Promise.all([
      startLocalStack({
        dataDir: tmp, apps: ['ingestion', 'circuit-breaker'], partitions: 2, descriptorFile: descriptorFile(),
        settingsOverrides: {
          // As breaker.e2e: the outage resets connections (fails at once), so long store timeouts do not
          // slow the trip, and a healthy write on a loaded CI machine is not dead-lettered.
          ingestion: { COSMOS_REQUEST_TIMEOUT_MS: '10000', STORE_CALL_TIMEOUT_MS: '10000', STORE_MAX_ATTEMPTS: '2', STORE_RETRY_BASE_MS: '10', STORE_RETRY_MAX_MS: '50' },
          'circuit-breaker': { BREAKER_THRESHOLD: String(THRESHOLD), BREAKER_WINDOW_SECONDS: '15', BREAKER_MODE: 'manual' },
        },
      }),
      launchChromium(),
    ]);
    const d = stack.descriptor;
    proxy = stack.cosmosProxy;
    ingestion = stack.hosts.get('ingestion')!;
    breaker = stack.hosts.get('circuit-breaker')!;
    const direct = new CosmosClient({ endpoint: stack.cosmos.endpoint, key: stack.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    container = direct.database(d.cosmos.database).container(d.cosmos.container);
    deadLetters = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
    lag = eventHubLagFromSettings({ EventHubConnection: d.eventHubs.connectionString, AzureWebJobsStorage: d.storage.connectionString }, d.eventHubs.hubName, d.eventHubs.consumerGroup)!;
  }, 300_000);

  afterAll(async () => {
    await lag?.close();
    await producer?.close();
    await browser?.close();
    await stack?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  async function send(prefix: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    for (const deviceId of ids) await producer.sendBatch([{ body: { ...makeTelemetry(1, 0), deviceId, battery: 0.5 } }], { partitionKey: deviceId });
    return ids;
  }
  const applied = async (): Promise<Set<string>> => {
    const { resources } = await container.items.query<{ deviceId: string }>('SELECT c.deviceId FROM c').fetchAll();
    return new Set(resources.map((r) => r.deviceId));
  };
  const deadLettered = async (): Promise<Set<string>> => {
    const seen = new Set<string>();
    for (;;) {
      const { receivedMessageItems } = await deadLetters.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 600 });
      if (receivedMessageItems.length === 0) return seen;
      for (const m of receivedMessageItems) {
        const id = decodeDeadLetter(m.messageText).deviceId;
        if (id) seen.add(id);
      }
    }
  };
  const ingestPaused = async (): Promise<boolean> => (await ingestion.admin.listFunctions()).find((f) => f.name === 'ingestTelemetry')?.paused === true;
  const breakerState = async (): Promise<BreakerStatusReport> =>
    (await (await fetch(`${breaker.baseUrl}/api/breaker`, { headers: { 'x-functions-key': stack.descriptor.apps['circuit-breaker']!.masterKey } })).json()) as BreakerStatusReport;

  it('the operator resumes ingestion from the e-mail; events sent while paused all land in Cosmos', async () => {
    // The mail catcher is part of the stack: its web UI is in .local/stack.json (here: the test's descriptor file).
    const written = JSON.parse(readFileSync(descriptorFile(), 'utf8')) as StackDescriptor;
    expect(written.mail?.webUrl).toBe(stack.mailUrl);
    expect(stack.mailUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);

    // 1. Healthy traffic is applied.
    const healthy = await send('ok', 10);
    await waitUntil(async () => { const a = await applied(); return healthy.every((id) => a.has(id)); }, { timeoutMs: 180_000, description: 'healthy events applied' });

    // 2. Cosmos goes down: failures are counted, the breaker trips and pauses ingestion.
    proxy.setMode({ kind: 'down' });
    const failing = await send('outage', 60);
    await waitUntil(ingestPaused, { timeoutMs: 120_000, intervalMs: 250, description: 'ingestion paused by the breaker' });

    // 3. The e-mail reaches the operators' inbox (MailDev) with the reason, the counts and the link; the webhook (second channel) gets the notice too.
    const mail = await waitUntil(async () => (await listMailDevEmails(stack.descriptor.mail!)).find((m) => m.subject.includes('Telemetry ingestion paused')), { timeoutMs: 120_000, description: 'trip e-mail in MailDev' });
    expect(mail.to.map((a) => a.address)).toEqual([written.mail!.to]);
    expect(mail.text).toMatch(/Reason: \d+ downstream failures in the last 15 s \(threshold 20\)/);
    const counted = [...mail.text!.matchAll(/(STORE_[A-Z_]+): (\d+)/g)].reduce((n, m) => n + Number(m[2]), 0);
    expect(counted).toBeGreaterThan(THRESHOLD);
    expect(mail.text).toMatch(/\/api\/breaker\/approve\?token=v1\./);
    await waitUntil(() => stack.notifications.some((b) => (b as { breaker?: { kind?: string } }).breaker?.kind === 'tripped'), { timeoutMs: 60_000, description: 'webhook notice too' });

    // 4. Events keep arriving while paused; none is processed. Note where ingestion's checkpoints stand.
    const duringPause = await send('paused', 30);
    const atPause = await waitUntil(async () => {
      const l = await lag.read();
      return l.enqueuedTotal === healthy.length + failing.length + duringPause.length ? l : undefined;
    }, { timeoutMs: 60_000, description: 'every event enqueued' });
    expect(atPause.lagTotal).toBeGreaterThanOrEqual(duringPause.length);
    expect([...(await applied())].filter((id) => id.startsWith('paused-'))).toEqual([]);
    expect(await ingestPaused()).toBe(true);

    // 5. Cosmos is fixed. The operator opens the e-mail in MailDev's web UI and follows the resume link.
    proxy.setMode({ kind: 'pass' });
    // The web UI asks for the stack's credentials: without them (or from another site) nothing is shown.
    expect((await fetch(new URL('api/email', stack.mailUrl!))).status).toBe(401);
    const page = await browser.newPage({ httpCredentials: { username: written.mail!.webUser!, password: written.mail!.webPassword! } });
    await page.goto(stack.mailUrl!);
    await page.getByTestId('email-list-item').filter({ hasText: 'Telemetry ingestion paused' }).first().click();
    await page.getByTestId('email-viewer').waitFor();
    const resume = page.frameLocator('[data-testid="email-viewer"] iframe').getByRole('link', { name: 'Resume ingestion' });
    const href = await resume.getAttribute('href', { timeout: 60_000 });
    expect(href).toMatch(new RegExp(`^${breaker.baseUrl}/api/breaker/approve\\?token=v1\\.`));
    await page.goto(href!);
    // The link only shows a confirmation page: nothing has happened yet.
    await page.getByRole('heading', { name: 'Resume telemetry ingestion?' }).waitFor();
    expect((await breakerState()).status).toBe('open');
    expect(await ingestPaused()).toBe(true);

    // 6. The operator confirms (the signed link is their authority; the typed name is recorded as unauthenticated).
    await page.getByLabel('Your name').fill('carol');
    await page.getByRole('button', { name: 'Resume ingestion' }).click();
    await page.getByRole('heading', { name: 'Approved' }).waitFor({ timeout: 60_000 });
    expect(await page.textContent('body')).toContain('approved by carol (unauthenticated)');
    await page.close();

    // 7. Ingestion resumes from its checkpoints: everything after them is applied, nothing before them again.
    await waitUntil(async () => !(await ingestPaused()), { timeoutMs: 60_000, description: 'ingestion resumed' });
    await waitUntil(async () => { const a = await applied(); return duringPause.every((id) => a.has(id)); }, { timeoutMs: 120_000, description: 'events sent while paused applied' });
    const caughtUp = await waitUntil(async () => { const l = await lag.read(); return l.lagTotal === 0 ? l : undefined; }, { timeoutMs: 120_000, description: 'checkpoints caught up' });
    for (const p of caughtUp.partitions) {
      const before = atPause.partitions.find((q) => q.partitionId === p.partitionId)!;
      expect(p.checkpointSequenceNumber!).toBeGreaterThanOrEqual(before.checkpointSequenceNumber ?? -1);
      expect(p.checkpointSequenceNumber).toBe(p.lastEnqueuedSequenceNumber);
    }
    const finalApplied = await applied();
    const finalDead = await deadLettered();
    const lost = [...healthy, ...failing, ...duringPause].filter((id) => !finalApplied.has(id) && !finalDead.has(id));
    expect(lost).toEqual([]);
    expect(duringPause.filter((id) => finalDead.has(id))).toEqual([]);
    // Not replayed from the start: outage events that were dead-lettered before the pause stay out of Cosmos.
    expect(failing.filter((id) => finalDead.has(id) && finalApplied.has(id))).toEqual([]);
    await waitUntil(async () => (await breakerState()).status === 'closed', { timeoutMs: 60_000, description: 'breaker closed' });
    expect(await breakerState()).toMatchObject({ status: 'closed', lastApproval: { by: 'carol (unauthenticated)' } });
    // The "resumed" e-mail follows.
    await waitUntil(async () => (await listMailDevEmails(stack.descriptor.mail!)).some((m) => m.subject.includes('Telemetry ingestion resumed')), { timeoutMs: 60_000, description: 'resumed e-mail' });
    console.info(JSON.stringify({ sent: healthy.length + failing.length + duringPause.length, applied: finalApplied.size, deadLettered: finalDead.size, lagAtPause: atPause.lagTotal }));
  }, 600_000);
});
