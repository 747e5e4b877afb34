import { HttpRequest, InvocationContext } from '@azure/functions';
import { ArmFunctionDisableSwitch, connectWebApps } from '@telemetry/azure-app-service';
import { startLoopbackArmServer, type LoopbackArmServer } from '@telemetry/azure-app-service/testing';
import type { BreakerPolicy, BreakerState } from '@telemetry/breaker-rules';
import { breakerStatusSchema } from '@telemetry/contracts';
import type { EpisodeInput } from '../episode-contract';
import { APPROVAL_EVENT, BREAKER_ENTITY, BREAKER_ENTITY_KEY, NOTIFY_OPERATOR_ACTIVITY, PAUSE_INGESTION_ACTIVITY, READ_FAILURE_WINDOW_ACTIVITY, RESUME_INGESTION_ACTIVITY } from '../names';
import type { BreakerServices } from '../services';
import { InMemoryBreakerControl, OrchestrationReplay, runEntityBatch, testServices, type ReplayAction, type ReplayStep } from '../testing';
import { breakerEntity } from './breakerEntity';
import { breakerEpisode, SWITCH_TRIES_PER_EXECUTION } from './breakerEpisode';
import { createBreakerStatus } from './breakerStatus';
import { createBreakerSummary } from './breakerSummary';
import { createNotifyOperator } from './notifyOperator';
import { createPauseIngestion } from './pauseIngestion';
import { createReadFailureWindow } from './readFailureWindow';
import { createResumeIngestion } from './resumeIngestion';

const T0 = new Date('2026-11-21T12:00:00.000Z');
const SUB = '00000000-1111-2222-3333-444444444444';
const SITE = 'rg-telemetry/func-ingest';
const ORIGINAL = { FUNCTIONS_WORKER_RUNTIME: 'node', EventHubConnection__fullyQualifiedNamespace: 'ehns.servicebus.windows.net' };
const DISABLED = { 'AzureWebJobs.ingestTelemetry.Disabled': 'true', AzureWebJobs_ingestTelemetry_Disabled: 'true' };
const credential = { getToken: async () => ({ token: 'arm-token', expiresOnTimestamp: Date.now() + 3_600_000 }) };
const manual: BreakerPolicy = { mode: 'manual', threshold: 100, windowMs: 30_000, cooldownMs: 120_000, approvalTtlMs: 3_600_000, probeMs: 30_000, probeThreshold: 10 };
const trip = { reason: '154 failures in the last 30 s (threshold 100)', by: 'monitor', counts: { STORE_UNAVAILABLE: 154 } };

/**
 * A small Durable host for one episode: the real orchestrator replayed by the library's engine,
 * entity calls answered by the real entity, and the real activities run against the ARM switch on
 * a loopback ARM endpoint (which a test can make fail). Timers fire only when the test says so.
 */
class EpisodeHost {
  replay: OrchestrationReplay;
  constructor(
    readonly services: BreakerServices,
    public entityState: BreakerState | undefined,
    private input: EpisodeInput,
    private readonly instanceId = 'ep-1',
  ) {
    this.replay = new OrchestrationReplay(breakerEpisode, { instanceId, input, startAt: T0 });
  }

  async start(): Promise<ReplayStep> {
    return this.settle(await this.replay.start());
  }

  async fireTimer(): Promise<ReplayStep> {
    return this.settle(await this.replay.fireTimer());
  }

  async raise(name: string, payload: unknown): Promise<ReplayStep> {
    return this.settle(await this.replay.raiseEvent(name, payload));
  }

  /** A continue-as-new: the next execution of the same instance, from the given input, at the same clock. */
  continueAsNew(input: EpisodeInput): Promise<ReplayStep> {
    const clock = this.replay.clock;
    this.input = input;
    this.replay = new OrchestrationReplay(breakerEpisode, { instanceId: this.instanceId, input, startAt: clock });
    return this.start();
  }

  /** Runs entity calls and activities until only timers (or an event wait) are left. */
  private async settle(step: ReplayStep): Promise<ReplayStep> {
    for (;;) {
      const next = this.replay.outstanding().find((a) => a.type === 'callEntity' || a.type === 'callActivity');
      if (!next) return step;
      step = next.type === 'callEntity' ? await this.entity(next) : await this.activity(next as Extract<ReplayAction, { type: 'callActivity' }>);
    }
  }

  private async entity(call: Extract<ReplayAction, { type: 'callEntity' }>): Promise<ReplayStep> {
    const out = await runEntityBatch(breakerEntity, { name: BREAKER_ENTITY, key: BREAKER_ENTITY_KEY }, this.entityState, [{ name: call.operation, input: call.input }]);
    this.entityState = out.state;
    return this.replay.respondEntity(out.results[0]!.result);
  }

  private async activity(call: Extract<ReplayAction, { type: 'callActivity' }>): Promise<ReplayStep> {
    const context = new InvocationContext({ functionName: call.name });
    const handlers: Record<string, (input: unknown, ctx: InvocationContext) => Promise<unknown>> = {
      [PAUSE_INGESTION_ACTIVITY]: createPauseIngestion(() => this.services),
      [RESUME_INGESTION_ACTIVITY]: createResumeIngestion(() => this.services),
      [NOTIFY_OPERATOR_ACTIVITY]: createNotifyOperator(() => this.services),
      [READ_FAILURE_WINDOW_ACTIVITY]: createReadFailureWindow(() => this.services),
    };
    return this.replay.completeActivity(call.name, await handlers[call.name]!(call.input, context));
  }

  /** What GET /api/breaker and the anonymous summary say now. */
  async reports() {
    const control = new InMemoryBreakerControl(this.entityState);
    const request = new HttpRequest({ method: 'GET', url: 'https://breaker.example/api/breaker' });
    const status = breakerStatusSchema.parse((await createBreakerStatus(() => this.services)(request, control)).jsonBody);
    const summary = breakerStatusSchema.parse((await createBreakerSummary(() => this.services)(request, control)).jsonBody);
    return { status, summary };
  }
}

const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();

describe('the breaker cannot wedge: a failing switch is retried on durable timers until it works (issue 13 item 9)', () => {
  let arm: LoopbackArmServer;
  let services: BreakerServices;
  let notices: () => string[];
  beforeEach(async () => {
    arm = await startLoopbackArmServer({ [SITE]: ORIGINAL });
    const made = testServices({ ms: T0.getTime() }, { BREAKER_WEBHOOK_URL: 'https://hooks.example/breaker' });
    const webApps = connectWebApps(SUB, credential, { endpoint: arm.endpoint, agent: arm.agent, retryOptions: { maxRetries: 0 } });
    services = { ...made.services, ingestion: new ArmFunctionDisableSwitch(webApps, { subscriptionId: SUB, resourceGroup: 'rg-telemetry', appName: 'func-ingest', functionNames: ['ingestTelemetry'] }) };
    notices = () => made.notifier.notices.map((n) => n.kind);
  });
  afterEach(async () => arm?.stop());

  it('during a trip: no approval is offered until ingestion is really paused; "switch failing" is shown and told; it converges once ARM recovers', async () => {
    arm.failWith(503);
    const host = new EpisodeHost(services, undefined, { trip, policy: manual });
    let step = await host.start();
    expect(host.entityState).toMatchObject({ status: 'open', episode: 1, switch: { target: 'paused', state: 'failing', attempts: 1, since: at(0), nextAttemptAt: at(5_000) } });
    expect(host.entityState!.switch!.lastError).toMatch(/\(HTTP 503\)$/);
    expect(host.entityState!.approval).toBeUndefined();
    expect(notices()).toEqual(['switch-failing']);
    expect(step).toMatchObject({ isDone: false, customStatus: { phase: 'pausing', failedTries: 1 } });
    expect(host.replay.outstanding()).toEqual([{ type: 'createTimer', fireAt: at(5_000), canceled: false }]);
    const { status, summary } = await host.reports();
    expect(status.switch).toMatchObject({ target: 'paused', state: 'failing', attempts: 1 });
    expect(summary.switch).toMatchObject({ state: 'failing' });
    expect(status.approval).toBeUndefined();
    expect(arm.settings.get(SITE)).toEqual(ORIGINAL);

    // Backoff on durable timers (no busy loop): 5 s, then 10 s, then 20 s.
    step = await host.fireTimer();
    expect(host.entityState!.switch).toMatchObject({ state: 'failing', attempts: 2, since: at(0), nextAttemptAt: at(15_000) });
    step = await host.fireTimer();
    expect(host.entityState!.switch).toMatchObject({ state: 'failing', attempts: 3, nextAttemptAt: at(35_000) });
    expect(notices()).toEqual(['switch-failing']);
    expect(arm.requests.filter((r) => r.method === 'POST').length).toBe(3);

    arm.recover();
    step = await host.fireTimer();
    expect(arm.settings.get(SITE)).toEqual({ ...ORIGINAL, ...DISABLED });
    expect(host.entityState).toMatchObject({ status: 'open', switch: { target: 'paused', state: 'ok', since: at(35_000) }, approval: { instanceId: 'ep-1' } });
    expect(notices()).toEqual(['switch-failing', 'switch-recovered', 'tripped']);
    expect(step).toMatchObject({ isDone: false, customStatus: { phase: 'awaiting-approval', episode: 1 } });
    expect((await host.reports()).status).toMatchObject({ status: 'open', switch: { state: 'ok' }, approval: { page: 'https://breaker.example/api/breaker/approve' } });
  });

  it('during a resume: an approved breaker stays open while ingestion stays paused, and closes once the switch resumes it', async () => {
    const host = new EpisodeHost(services, undefined, { trip, policy: manual });
    await host.start();
    expect(arm.settings.get(SITE)).toEqual({ ...ORIGINAL, ...DISABLED });
    const nonce = host.entityState!.approval!.nonce;

    arm.failWith(503);
    host.replay.advance(60_000);
    let step = await host.raise(APPROVAL_EVENT, { nonce, by: 'alice (unauthenticated)', requestId: 'r1' });
    expect(host.entityState).toMatchObject({
      status: 'open', lastApproval: { nonce, by: 'alice (unauthenticated)' },
      switch: { target: 'running', state: 'failing', attempts: 1, nextAttemptAt: at(65_000) },
    });
    expect(arm.settings.get(SITE)).toEqual({ ...ORIGINAL, ...DISABLED });
    expect((await host.reports()).status).toMatchObject({ status: 'open', switch: { target: 'running', state: 'failing' } });
    expect(notices()).toEqual(['tripped', 'switch-failing']);
    expect(step).toMatchObject({ isDone: false, customStatus: { phase: 'resuming' } });

    // The approval wait's timer was canceled, but (as in Durable) it still fires: nothing happens.
    step = await host.fireTimer();
    expect(host.entityState!.switch).toMatchObject({ state: 'failing', attempts: 1 });
    step = await host.fireTimer();
    step = await host.fireTimer();
    expect(host.entityState).toMatchObject({ status: 'open', switch: { state: 'failing', attempts: 3 } });
    expect(arm.settings.get(SITE)).toEqual({ ...ORIGINAL, ...DISABLED });

    arm.recover();
    step = await host.fireTimer();
    expect(step).toMatchObject({ isDone: true, output: { outcome: 'approved', episode: 1, by: 'alice (unauthenticated)' } });
    expect(arm.settings.get(SITE)).toEqual(ORIGINAL);
    expect(host.entityState).toMatchObject({ status: 'closed', switch: { target: 'running', state: 'ok' } });
    expect(host.entityState!.transitions.map((t) => `${t.from}>${t.to}:${t.by}`)).toEqual(['closed>open:monitor', 'open>closed:alice (unauthenticated)']);
    expect(notices()).toEqual(['tripped', 'switch-failing', 'switch-recovered', 'closed']);
  });

  it('without end: after 20 tries it continues as new with its count, backs off to 5 minutes, tells the operator every 10th failure, and still converges', async () => {
    arm.failWith(403, 'AuthorizationFailed');
    const host = new EpisodeHost(services, undefined, { trip, policy: manual });
    let step = await host.start();
    for (let n = 1; n < SWITCH_TRIES_PER_EXECUTION; n++) step = await host.fireTimer();
    expect(host.entityState!.switch).toMatchObject({ state: 'failing', attempts: 20 });
    step = await host.fireTimer();
    const next = step.newActions.find((a) => a.type === 'continueAsNew') as { input: EpisodeInput } | undefined;
    expect(step.isDone).toBe(true);
    expect(next?.input.drive).toMatchObject({ action: 'pause', attempts: 20, then: { step: 'offer', episode: 1 } });
    // One execution's history is bounded by the tries per execution, however long ARM fails.
    console.info(JSON.stringify({ historyEventsPerExecution: host.replay.history.length, tries: SWITCH_TRIES_PER_EXECUTION }));
    expect(host.replay.history.length).toBeLessThan(SWITCH_TRIES_PER_EXECUTION * 20);
    expect(notices()).toEqual(['switch-failing', 'switch-failing', 'switch-failing']);

    step = await host.continueAsNew(next!.input);
    expect(host.entityState!.switch).toMatchObject({ state: 'failing', attempts: 21, lastError: expect.stringMatching(/\(HTTP 403\)$/) });
    const waited = Date.parse(host.entityState!.switch!.nextAttemptAt!) - host.replay.clock.getTime();
    expect(waited).toBe(300_000);

    arm.recover();
    step = await host.fireTimer();
    expect(arm.settings.get(SITE)).toEqual({ ...ORIGINAL, ...DISABLED });
    expect(host.entityState).toMatchObject({ status: 'open', episode: 1, switch: { state: 'ok' }, approval: expect.anything() });
    expect(host.entityState!.transitions).toHaveLength(1);
  });
});
