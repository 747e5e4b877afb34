import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CosmosClient, type Container } from '@azure/cosmos';
import { EventHubProducerClient } from '@azure/event-hubs';
import { QueueClient } from '@azure/storage-queue';
import { signApprovalToken, type BreakerNotice } from '@telemetry/breaker-rules';
import { BREAKER_STATUS_FUNCTION, decodeDeadLetter, type BreakerStatusReport } from '@telemetry/contracts';
import { makeTelemetry } from '@telemetry/device-state/testing';
import type { SpawnedHost } from '@telemetry/local-host';
import { waitUntil, type FaultProxy } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from '@telemetry/local-stack';

const SIGNING_KEY = 'e2e-approval-signing-key-0123456789-abcdef';
const THRESHOLD = 20;
const WINDOW_S = 15;

describe('circuit breaker end to end under the local host', () => {
  let tmp: string;
  let stack: LocalStack;
  let proxy: FaultProxy;
  let ingestion: SpawnedHost;
  let breaker: SpawnedHost;
  let breakerKey: string;
  // The operator's chat tool: the stack's loopback webhook sink.
  const notices = (): BreakerNotice[] => stack.notifications.map((body) => (body as { breaker: BreakerNotice }).breaker);
  let container: Container;
  let deadLetters: QueueClient;
  let producer: EventHubProducerClient;

  beforeAll(async () => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'breaker-e2e-'));
    stack = await startLocalStack({
      dataDir: tmp, apps: ['ingestion', 'circuit-breaker'], partitions: 2,
      settingsOverrides: {
        // The outage resets connections (fails at once), so the trip does not wait on these timeouts; they
        // only have to be long enough that a healthy write on a loaded machine is not dead-lettered
        // (3 s was not: a clean-clone CI run at load average 30 lost the healthy step to timeouts).
        ingestion: { COSMOS_REQUEST_TIMEOUT_MS: '10000', STORE_CALL_TIMEOUT_MS: '10000', STORE_MAX_ATTEMPTS: '2', STORE_RETRY_BASE_MS: '10', STORE_RETRY_MAX_MS: '50' },
        'circuit-breaker': {
          BREAKER_THRESHOLD: String(THRESHOLD), BREAKER_WINDOW_SECONDS: String(WINDOW_S), BREAKER_MODE: 'manual', INGESTION_FUNCTION_NAME: 'ingestTelemetry',
          APPROVAL_SIGNING_KEY: SIGNING_KEY,
        },
      },
    });
    const d = stack.descriptor;
    proxy = stack.cosmosProxy;
    ingestion = stack.hosts.get('ingestion')!;
    breaker = stack.hosts.get('circuit-breaker')!;
    breakerKey = d.apps['circuit-breaker']!.masterKey;
    // Read Cosmos directly: the apps' proxy is down during the outage.
    const direct = new CosmosClient({ endpoint: stack.cosmos.endpoint, key: stack.cosmos.key, connectionPolicy: { enableEndpointDiscovery: false } });
    container = direct.database(d.cosmos.database).container(d.cosmos.container);
    deadLetters = new QueueClient(d.storage.connectionString, d.queues.deadLetter);
    producer = new EventHubProducerClient(d.eventHubs.connectionString, d.eventHubs.hubName);
  }, 300_000);

  afterAll(async () => {
    await producer?.close();
    await stack?.stop();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }, 120_000);

  /** One event per device, partition key = deviceId, so each device's outcome is unambiguous. */
  async function send(prefix: string, count: number): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
    for (const deviceId of ids) {
      await producer.sendBatch([{ body: { ...makeTelemetry(1, 0), deviceId, battery: 0.5 } }], { partitionKey: deviceId });
    }
    return ids;
  }
  const applied = async (): Promise<Set<string>> => {
    const { resources } = await container.items.query<{ deviceId: string }>('SELECT c.deviceId FROM c').fetchAll();
    return new Set(resources.map((r) => r.deviceId));
  };
  /** Every dead letter's device (received with a long visibility: call once, at the end). */
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
  const breakerState = async (): Promise<BreakerStatusReport> => {
    const response = await fetch(`${breaker.baseUrl}/api/breaker`, { headers: { 'x-functions-key': breakerKey } });
    expect(response.status).toBe(200);
    return (await response.json()) as BreakerStatusReport;
  };
  const ingestPaused = async (): Promise<boolean> =>
    (await ingestion.admin.listFunctions()).find((f) => f.name === 'ingestTelemetry')?.paused === true;

  it("the reprocessor's breaker key reads GET /api/breaker and nothing else: it cannot trip (least authority)", async () => {
    const statusKey = stack.descriptor.apps['circuit-breaker']!.functionKeys?.[BREAKER_STATUS_FUNCTION];
    expect(statusKey).toBeTruthy();
    // The stack hands the reprocessor this function-scoped key as BREAKER_STATUS_KEY (tools/local-stack app-keys.spec.ts).
    const read = await fetch(`${breaker.baseUrl}/api/breaker`, { headers: { 'x-functions-key': statusKey! } });
    expect(read.status).toBe(200);
    const trip = await fetch(`${breaker.baseUrl}/api/breaker/trip`, { method: 'POST', headers: { 'x-functions-key': statusKey!, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'not allowed' }) });
    expect(trip.status).toBe(401);
    expect((await breakerState()).status).toBe('closed');
  });

  it('trips on a Cosmos outage, pauses ingestion, keeps events in the hub, resumes on a signed approval and loses nothing', async () => {
    // 1. Healthy traffic is applied.
    const healthy = await send('ok', 20);
    await waitUntil(async () => healthy.every((id) => applied().then((a) => a.has(id))) && (await applied()).size >= healthy.length, { timeoutMs: 180_000, description: 'healthy events applied' });

    // 2. Cosmos goes down: failures are dead-lettered and counted; the breaker trips and pauses ingestion.
    proxy.setMode({ kind: 'down' });
    const outageAt = Date.now();
    const failing = await send('outage', 60);
    await waitUntil(ingestPaused, { timeoutMs: 90_000, intervalMs: 200, description: 'ingestion paused by the breaker' });
    const pausedAfterMs = Date.now() - outageAt;
    const tripped = await waitUntil(() => notices().find((n) => n.kind === 'tripped'), { timeoutMs: 90_000, description: 'trip notice' });
    // An outage shows as refused/reset connections or timed-out calls: any retryable store code.
    const storeFailures = Object.entries(tripped.counts as Record<string, number>).filter(([code]) => code.startsWith('STORE_')).reduce((n, [, c]) => n + c, 0);
    expect(storeFailures).toBeGreaterThan(THRESHOLD);
    expect(tripped.approveUrl).toMatch(/\/api\/breaker\/approve\?token=v1\./);
    const state = await breakerState();
    expect(state).toMatchObject({ status: 'open', episode: 1 });
    // Reported, not asserted: CI shares a loaded machine; the bounded wait above is the bound.
    console.info(JSON.stringify({ pausedAfterMs, failuresAtTrip: tripped.counts }));

    // 3. Events keep arriving in the hub while ingestion is paused; none is processed.
    const duringPause = await send('paused', 30);
    const props = await Promise.all(['0', '1'].map((p) => producer.getPartitionProperties(p)));
    expect(props.reduce((n, p) => n + p.lastEnqueuedSequenceNumber + 1, 0)).toBe(healthy.length + failing.length + duringPause.length);

    // 4. A breaker restart mid-episode keeps the state and the offered link.
    breaker = await stack.restartHost('circuit-breaker');
    // Same address (the offered approval link names it).
    expect(breaker.baseUrl).toBe(stack.descriptor.apps['circuit-breaker']!.baseUrl);
    expect(await breakerState()).toMatchObject({ status: 'open', episode: 1, switch: { target: 'paused', state: 'ok' }, approval: { page: `${breaker.baseUrl}/api/breaker/approve` } });
    // The status (any key holder's view) never carries the signed link; the anonymous summary neither.
    expect(JSON.stringify(await breakerState())).not.toContain('token=');
    const summary = await fetch(`${breaker.baseUrl}/api/breaker/summary`);
    expect(summary.status).toBe(200);
    expect(await summary.json()).toMatchObject({ status: 'open', episode: 1, switch: { state: 'ok' } });

    // 5. Forged, expired and (later) reused tokens are refused and change nothing.
    const url = new URL(tripped.approveUrl!);
    const token = url.searchParams.get('token')!;
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { instanceId: string; episode: number; nonce: string; exp: number };
    const post = (t: string) => fetch(`${breaker.baseUrl}/api/breaker/approve?token=${encodeURIComponent(t)}`, { method: 'POST' });
    expect((await post(signApprovalToken(claims, 'not-the-key-0123456789-0123456789-xx'))).status).toBe(401);
    expect((await post(`${token.slice(0, -4)}AAAA`)).status).toBe(401);
    expect((await post(signApprovalToken({ ...claims, exp: Date.now() - 1 }, SIGNING_KEY))).status).toBe(403);
    expect(await ingestPaused()).toBe(true);
    expect((await breakerState()).status).toBe('open');
    expect([...(await applied())].some((id) => id.startsWith('paused-'))).toBe(false);

    // 6. Cosmos comes back; the operator opens the link (GET is only a confirmation page), then approves.
    proxy.setMode({ kind: 'pass' });
    const page = await fetch(url);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post">');
    expect((await breakerState()).status).toBe('open');
    const approved = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=alice' });
    expect(approved.status).toBe(200);
    await waitUntil(async () => !(await ingestPaused()), { timeoutMs: 60_000, description: 'ingestion resumed' });
    expect((await post(token)).status).toBe(403);

    // 7. Reconcile: every event is applied or dead-lettered; those enqueued during the pause were applied after it.
    await waitUntil(async () => { const a = await applied(); return duringPause.every((id) => a.has(id)); }, { timeoutMs: 90_000, description: 'events from the pause applied' });
    const finalApplied = await applied();
    const finalDead = await deadLettered();
    const lost = [...healthy, ...failing, ...duringPause].filter((id) => !finalApplied.has(id) && !finalDead.has(id));
    expect(lost).toEqual([]);
    expect(duringPause.filter((id) => finalDead.has(id))).toEqual([]);
    expect(healthy.every((id) => finalApplied.has(id))).toBe(true);

    await waitUntil(async () => (await breakerState()).status === 'closed', { timeoutMs: 60_000, description: 'breaker closed once ingestion resumed' });
    const after = await breakerState();
    // No platform authentication locally: the typed name is recorded as such (issue 13 item 8).
    expect(after).toMatchObject({ status: 'closed', episode: 1, lastApproval: { by: 'alice (unauthenticated)' }, switch: { target: 'running', state: 'ok' } });
    expect((after.transitions ?? []).map((t) => `${t.from}>${t.to}:${t.by}`)).toEqual(['closed>open:monitor', 'open>closed:alice (unauthenticated)']);
    console.info(JSON.stringify({ applied: finalApplied.size, deadLettered: finalDead.size, sent: healthy.length + failing.length + duringPause.length }));
  }, 600_000);

  it('a switch that fails (ingestion host down) is retried until it works: no approval before ingestion is paused, "switch failing" shown and told (issue 13 item 9)', async () => {
    // The switch's target refuses connections: the ingestion host is stopped.
    await ingestion.stop();
    const trip = await fetch(`${breaker.baseUrl}/api/breaker/trip`, { method: 'POST', headers: { 'x-functions-key': breakerKey, 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'switch drill' }) });
    expect(trip.status).toBe(202);
    const failing = await waitUntil(async () => {
      const s = await breakerState();
      return s.status === 'open' && s.episode === 2 && s.switch?.state === 'failing' ? s : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, description: 'switch failing on the status endpoint' });
    expect(failing.switch).toMatchObject({ target: 'paused', attempts: expect.any(Number), nextAttemptAt: expect.any(String) });
    expect(failing.approval).toBeUndefined();
    await waitUntil(() => notices().find((n) => n.kind === 'switch-failing' && n.episode === 2), { timeoutMs: 60_000, description: 'switch-failing notice' });
    // A trip meanwhile is refused: the episode is alive, converging.
    expect((await fetch(`${breaker.baseUrl}/api/breaker/trip`, { method: 'POST', headers: { 'x-functions-key': breakerKey } })).status).toBe(409);

    // The host comes back at the same address: the next try pauses it, then the approval is offered.
    ingestion = await stack.restartHost('ingestion');
    const paused = await waitUntil(async () => {
      const s = await breakerState();
      return s.switch?.state === 'ok' && s.approval ? s : undefined;
    }, { timeoutMs: 300_000, intervalMs: 1_000, description: 'switch recovered and approval offered' });
    expect(paused).toMatchObject({ status: 'open', episode: 2, switch: { target: 'paused', state: 'ok' } });
    expect(await ingestPaused()).toBe(true);
    await waitUntil(() => notices().find((n) => n.kind === 'tripped' && n.episode === 2), { timeoutMs: 60_000, description: 'trip notice with the link' });
    const kinds = notices().filter((n) => n.episode === 2).map((n) => n.kind);
    expect(kinds.indexOf('switch-failing')).toBeLessThan(kinds.indexOf('switch-recovered'));
    expect(kinds.indexOf('switch-recovered')).toBeLessThan(kinds.indexOf('tripped'));
    console.info(JSON.stringify({ switchFailedTries: failing.switch?.attempts, noticesEpisode2: kinds }));
  }, 600_000);

  it("an episode orchestration that dies while the breaker is open is adopted by the monitor's watchdog: paused, told, a fresh link; the dead one's link is spent", async () => {
    const before = await breakerState();
    expect(before).toMatchObject({ status: 'open', episode: 2 });
    const owner = before.instanceId!;
    const oldLink = notices().filter((n) => n.episode === 2 && n.approveUrl).at(-1)!.approveUrl!;
    // Killed from outside, as a failed orchestration or an operator's terminate would leave it.
    const terminated = await fetch(`${breaker.baseUrl}/runtime/webhooks/durabletask/instances/${owner}/terminate?reason=drill&code=${encodeURIComponent(breakerKey)}`, { method: 'POST' });
    expect(terminated.status).toBe(202);
    const adopted = await waitUntil(async () => {
      const s = await breakerState();
      return s.instanceId !== owner && s.approval ? s : undefined;
    }, { timeoutMs: 120_000, intervalMs: 500, description: 'a new episode to adopt the breaker and offer an approval' });
    expect(adopted).toMatchObject({ status: 'open', episode: 2, switch: { target: 'paused', state: 'ok' } });
    expect(await ingestPaused()).toBe(true);
    const recovered = await waitUntil(() => notices().find((n) => n.kind === 'recovered' && n.episode === 2), { timeoutMs: 60_000, description: 'recovered notice' });
    expect(recovered.reason).toContain(`${owner} ended (Terminated)`);
    expect(recovered.approveUrl).toBeTruthy();
    expect((await fetch(oldLink, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=alice' })).status).toBe(403);
    const approved = await fetch(recovered.approveUrl!, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'name=alice' });
    expect(approved.status).toBe(200);
    await waitUntil(async () => (await breakerState()).status === 'closed', { timeoutMs: 120_000, description: 'breaker closed by the adopter' });
    expect(await ingestPaused()).toBe(false);
  }, 600_000);
});
