import { startAzurite, waitUntil, type AzuriteInstance } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture } from './testing/records';

interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
  historyEvents?: { EventType: string }[];
}

const HOUR = 3_600_000;

describe('Durable Functions (built in; task hub on Azurite; manual clock)', () => {
  let azurite: AzuriteInstance;
  let host: SpawnedHost;
  const settings = (): Record<string, string> => ({ AzureWebJobsStorage: azurite.connectionString, LOCAL_DURABLE_CLOCK: 'manual' });
  const api = (path: string, init?: RequestInit): Promise<Response> => fetch(`${host.baseUrl}${path}`, init);
  // The client API through the public port's webhooks (system or master key); /durabletask/ is the worker's alone.
  const rpc = (path: string, init?: RequestInit): Promise<Response> =>
    fetch(`${host.baseUrl}/runtime/webhooks/durabletask/${path}`, { ...init, headers: { ...(init?.headers as Record<string, string>), 'x-functions-key': host.masterKey } });
  const status = async (id: string): Promise<Status> => (await (await api(`/api/status/${id}`)).json()) as Status;
  const start = async (name: string, id: string, input: unknown): Promise<Response> => api(`/api/orchestrators/${name}/${id}`, { method: 'POST', body: JSON.stringify(input) });
  const until = async (description: string, probe: () => Promise<boolean>): Promise<void> => void (await waitUntil(probe, { timeoutMs: 60_000, description }));
  const stage = async (id: string): Promise<unknown> => ((await status(id)).customStatus as { stage?: string } | null)?.stage;

  beforeAll(async () => {
    azurite = await startAzurite();
    host = await spawnHost({ app: fixture('durable-app/main.ts'), settings: settings() });
  });
  afterAll(async () => {
    await host?.stop();
    await azurite?.stop();
  });

  it('runs the Durable functions as running functions of the host', () => {
    const byName = Object.fromEntries(host.functions.map((f) => [f.name, `${f.triggerType}:${f.state}`]));
    expect(byName).toMatchObject({ approvalFlow: 'orchestrationTrigger:running', breaker: 'entityTrigger:running', greet: 'activityTrigger:running' });
  });

  it('HTTP starter -> activity, entity call/signal, retried activity, approval raced with a timer -> Completed', async () => {
    const started = await start('approvalFlow', 'approve-1', { key: 'k1', name: 'bob', failures: 2, cooldownMs: HOUR });
    expect(started.status).toBe(202);
    const payload = (await started.json()) as { id: string; statusQueryGetUri: string; sendEventPostUri: string };
    expect(payload.id).toBe('approve-1');
    expect(started.headers.get('location')).toBe(payload.statusQueryGetUri);
    expect(payload.statusQueryGetUri.startsWith(`${host.baseUrl}/runtime/webhooks/durabletask/instances/approve-1?taskHub=FixtureHub`)).toBe(true);
    // The retried activity waits on 1 s retry timers: move the manual clock until the orchestration waits.
    await until('approval wait', async () => {
      if ((await stage('approve-1')) === 'waiting') return true;
      await host.admin.advanceDurableClock(1000);
      return false;
    });
    const waiting = await status('approve-1');
    expect(waiting).toMatchObject({ runtimeStatus: 'Running', customStatus: { stage: 'waiting', trips: 1 }, output: null });
    // A running instance: 202 with Location (this same URL) and Retry-After 5 (HttpApiHandler.HandleGetStatusRequestAsync).
    const polled = await fetch(payload.statusQueryGetUri);
    expect(polled.status).toBe(202);
    expect(polled.headers.get('location')).toBe(payload.statusQueryGetUri);
    expect(polled.headers.get('retry-after')).toBe('5');
    const raised = await api('/api/approve/approve-1', { method: 'POST', body: JSON.stringify({ by: 'ops' }) });
    expect(raised.status).toBe(202);
    await until('completion', async () => (await status('approve-1')).runtimeStatus === 'Completed');
    const done = await status('approve-1');
    expect(done.output).toEqual({ greeting: 'hello bob', trips: 1, attempt: 3, decision: { by: 'ops' } });
    expect(done.customStatus).toEqual({ stage: 'done', trips: 1 });
    // The API returns `historyEvents` (as the extension does; the JS client's status object keeps only `history`).
    const withHistory = (await (await rpc('instances/approve-1?showHistory=true&showHistoryOutput=true')).json()) as Status;
    // Shaped as DurableClient.GetDurableOrchestrationStatusAsync does: TaskScheduled folded into its
    // TaskCompleted/TaskFailed (FunctionName, ScheduledTime), FunctionName for Name, no EventId/TaskScheduledId.
    const events = withHistory.historyEvents as Record<string, unknown>[];
    const types = events.map((e) => e['EventType']);
    expect(types).toEqual(expect.arrayContaining(['ExecutionStarted', 'TaskCompleted', 'TaskFailed', 'TimerCreated', 'EventSent', 'EventRaised', 'ExecutionCompleted']));
    expect(types).not.toContain('TaskScheduled');
    expect(events.find((e) => e['EventType'] === 'ExecutionStarted')).toMatchObject({ FunctionName: 'approvalFlow' });
    expect(events.find((e) => e['EventType'] === 'TaskFailed')).toMatchObject({ FunctionName: expect.any(String), ScheduledTime: expect.any(String), Reason: expect.any(String) });
    expect(events.find((e) => e['EventType'] === 'TaskCompleted' && e['FunctionName'] === 'greet')).toMatchObject({ Result: 'hello bob', ScheduledTime: expect.any(String) });
    expect(events.at(-1)).toMatchObject({ EventType: 'ExecutionCompleted', OrchestrationStatus: 'Completed', Result: done.output });
    expect(events.some((e) => 'EventId' in e || 'TaskScheduledId' in e || 'IsPlayed' in e || (e['EventType'] === 'ExecutionStarted' && 'Name' in e))).toBe(false);
    // The management webhook (statusQueryGetUri) answers 200 once done; without the key, 401.
    expect((await fetch(payload.statusQueryGetUri)).status).toBe(200);
    expect((await fetch(payload.statusQueryGetUri.replace(/code=[^&]+/, 'code=wrong'))).status).toBe(401);
    // Entity: trip (called), note (signalled), reset (called).
    expect(await (await api('/api/breaker/k1')).json()).toEqual({ state: 'closed', trips: 1, notes: ['tripped by orchestration'] });
    // Events to a finished instance: 410, which the client accepts; unknown instance: 404.
    expect((await rpc('instances/approve-1/raiseEvent/approve', { method: 'POST', body: '1' })).status).toBe(410);
    expect((await rpc('instances/nobody/raiseEvent/approve', { method: 'POST', body: '1' })).status).toBe(404);
    expect((await rpc('orchestrators/noSuchFunction', { method: 'POST' })).status).toBe(400);
    // Start as HandleStartOrchestratorRequestAsync answers: CreateCheckStatusResponse (202, Location,
    // Retry-After 10, no rewindPostUri); ids StartNewAsync refuses and bodies that are not JSON -> 400.
    const direct = await rpc('orchestrators/approvalFlow/direct-1', { method: 'POST', body: JSON.stringify({ key: 'kd', name: 'd', failures: 0, cooldownMs: HOUR }) });
    expect(direct.status).toBe(202);
    expect(direct.headers.get('retry-after')).toBe('10');
    const directPayload = (await direct.json()) as Record<string, string>;
    expect(direct.headers.get('location')).toBe(directPayload['statusQueryGetUri']);
    expect(Object.keys(directPayload).sort()).toEqual(['id', 'purgeHistoryDeleteUri', 'restartPostUri', 'resumePostUri', 'sendEventPostUri', 'statusQueryGetUri', 'suspendPostUri', 'terminatePostUri']);
    expect((await rpc('orchestrators/approvalFlow/@bad', { method: 'POST' })).status).toBe(400);
    expect((await rpc('orchestrators/approvalFlow/not-json', { method: 'POST', body: '{oops' })).status).toBe(400);
  });

  it('without an approval the cooldown timer fires when the clock passes it', async () => {
    await start('approvalFlow', 'cooldown-1', { key: 'k2', name: 'ann', failures: 0, cooldownMs: HOUR });
    await until('approval wait', async () => (await stage('cooldown-1')) === 'waiting');
    await host.admin.advanceDurableClock(HOUR - 1);
    expect((await status('cooldown-1')).runtimeStatus).toBe('Running');
    await host.admin.advanceDurableClock(1);
    await until('completion', async () => (await status('cooldown-1')).runtimeStatus === 'Completed');
    expect(((await status('cooldown-1')).output as { decision: unknown }).decision).toBe('cooldown');
  });

  it('entities: client signal and readEntityState, entity-to-entity signals, 404 for an unknown entity', async () => {
    expect((await api('/api/breaker/solo', { method: 'POST' })).status).toBe(202);
    await api('/api/breaker/solo?op=relay&input=target', { method: 'POST' });
    await until('entity state', async () => (await api('/api/breaker/target')).status === 200);
    expect(await (await api('/api/breaker/solo')).json()).toMatchObject({ state: 'open', trips: 1 });
    expect(await (await api('/api/breaker/target')).json()).toMatchObject({ notes: ['relayed from solo'] });
    expect((await api('/api/breaker/never-used')).status).toBe(404);

    // The webhook: application/json input is parsed, any other type passes the text as a string,
    // JSON that does not parse is 400; DELETE signals the entity's delete operation.
    const signal = (op: string, body: string, type: string): Promise<Response> => rpc(`entities/breaker/web?op=${op}`, { method: 'POST', body, headers: { 'content-type': type } });
    expect((await signal('note', '"json"', 'application/json')).status).toBe(202);
    expect((await signal('note', '"text"', 'text/plain')).status).toBe(202);
    expect((await signal('note', '{no', 'application/json')).status).toBe(400);
    await until('two notes', async () => ((await (await rpc('entities/breaker/web')).json()) as { notes?: string[] }).notes?.length === 2);
    expect(await (await rpc('entities/breaker/web')).json()).toMatchObject({ notes: ['json', '"text"'] });
    expect((await rpc('entities/breaker/web', { method: 'DELETE' })).status).toBe(202);
  });

  it('sub-orchestrations, eternal orchestrations with continueAsNew and timers, failures', async () => {
    await start('parent', 'parent-1', null);
    await start('monitor', 'monitor-1', { round: 0, rounds: 3 });
    await start('failing', 'failing-1', null);
    await until('parent', async () => (await status('parent-1')).runtimeStatus === 'Completed');
    expect((await status('parent-1')).output).toBe('parent got: hello from parent');
    await until('monitor rounds', async () => {
      if ((await status('monitor-1')).runtimeStatus === 'Completed') return true;
      await host.admin.advanceDurableClock(60_000);
      return false;
    });
    expect((await status('monitor-1')).output).toBe('finished after 3 rounds');
    // Entity signals are one-way: the last one may land after the orchestration completed.
    const notes = async (): Promise<string[]> => ((await (await api('/api/breaker/monitored')).json()) as { notes: string[] }).notes;
    await until('last signal', async () => (await notes()).length >= 3);
    expect(await notes()).toEqual(['round 0', 'round 1', 'round 2']);
    await until('failure', async () => (await status('failing-1')).runtimeStatus === 'Failed');
    expect(String((await status('failing-1')).output)).toContain("Orchestrator function 'failing' failed");
    // Failed answers 200, or 500 when the caller asks with returnInternalServerErrorOnFailure (HttpApiHandler).
    expect((await rpc('instances/failing-1')).status).toBe(200);
    expect((await rpc('instances/failing-1?returnInternalServerErrorOnFailure=true')).status).toBe(500);
  });

  it('the start webhook with timeout and pollingInterval waits: 200 with the output, else the 202 check-status response', async () => {
    const post = (path: string, input: unknown = 'x'): Promise<Response> => rpc(path, { method: 'POST', body: JSON.stringify(input), headers: { 'content-type': 'application/json' } });
    const done = await post('orchestrators/parent/wait-1?timeout=30&pollingInterval=0.2');
    expect(done.status).toBe(200);
    expect(await done.json()).toBe('parent got: hello from parent');
    // Still running at the timeout (it waits for an approval): the check-status response.
    const running = await post('orchestrators/approvalFlow/wait-2?timeout=0.5&pollingInterval=0.1', { key: 'kw', name: 'w', failures: 0, cooldownMs: HOUR });
    expect(running.status).toBe(202);
    expect(running.headers.get('location')).toContain('/instances/wait-2');
    // WaitForCompletionOrCreateCheckStatusResponseAsync refuses an interval above the timeout (400);
    // a value double.Parse refuses is the handler's generic 500; one parameter alone does not wait.
    expect((await post('orchestrators/parent/wait-3?timeout=1&pollingInterval=5')).status).toBe(400);
    expect((await post('orchestrators/parent/wait-4?timeout=soon&pollingInterval=1')).status).toBe(500);
    expect((await post('orchestrators/parent/wait-5?timeout=30')).status).toBe(202);
    await rpc('instances/wait-2/terminate?reason=test', { method: 'POST' });
  });

  it('client API: listing with filters and continuation tokens, suspend/resume, terminate, purge', async () => {
    const listed = (await (await api('/api/instances?runtimeStatus=Completed')).json()) as Status[];
    expect(listed.map((s) => s.instanceId)).toEqual(expect.arrayContaining(['approve-1', 'cooldown-1', 'parent-1']));
    expect(listed.every((s) => s.runtimeStatus === 'Completed' && 'input' in s && 'output' in s)).toBe(true);
    const first = await rpc('instances/?runtimeStatus=Completed,Failed&top=2');
    const token = first.headers.get('x-ms-continuation-token');
    expect(((await first.json()) as Status[]).length).toBe(2);
    expect(token).toBeTruthy();
    const second = (await (await rpc('instances/?runtimeStatus=Completed,Failed&top=2', { headers: { 'x-ms-continuation-token': token! } })).json()) as Status[];
    expect(second.length).toBeGreaterThan(0);
    // Listing shows inputs unless showInput=false (OrchestrationStatusQueryCondition.ShowInput defaults to true).
    const withInputs = (await (await rpc('instances/?runtimeStatus=Completed&instanceIdPrefix=approve-1')).json()) as Status[];
    expect(withInputs[0]?.input).toEqual({ key: 'k1', name: 'bob', failures: 2, cooldownMs: HOUR });
    const withoutInputs = (await (await rpc('instances/?runtimeStatus=Completed&instanceIdPrefix=approve-1&showInput=false')).json()) as Status[];
    expect(withoutInputs[0]?.input).toBeNull();
    // Purging by filter needs createdTimeFrom (HandleDeleteHistoryWithFiltersRequestAsync).
    expect((await rpc('instances/?runtimeStatus=Completed', { method: 'DELETE' })).status).toBe(400);

    await start('approvalFlow', 'ops-1', { key: 'k3', name: 'x', failures: 0, cooldownMs: HOUR });
    await until('waiting', async () => (await stage('ops-1')) === 'waiting');
    // Resuming a running instance, suspending a suspended one: DurableClient throws -> the generic 500.
    expect((await rpc('instances/ops-1/resume?reason=early', { method: 'POST' })).status).toBe(500);
    expect((await rpc('instances/ops-1/suspend?reason=maintenance', { method: 'POST' })).status).toBe(202);
    expect((await status('ops-1')).runtimeStatus).toBe('Suspended');
    expect((await rpc('instances/ops-1/suspend?reason=again', { method: 'POST' })).status).toBe(500);
    await api('/api/approve/ops-1', { method: 'POST', body: '"late"' }); // queued while suspended
    expect((await status('ops-1')).runtimeStatus).toBe('Suspended');
    expect((await rpc('instances/ops-1/resume?reason=done', { method: 'POST' })).status).toBe(202);
    await until('completion after resume', async () => (await status('ops-1')).runtimeStatus === 'Completed');

    await start('approvalFlow', 'ops-2', { key: 'k4', name: 'y', failures: 0, cooldownMs: HOUR });
    await until('waiting', async () => (await stage('ops-2')) === 'waiting');
    // A running id cannot be started again (DTFx OrchestrationAlreadyExistsException -> the handler's 500).
    expect((await rpc('orchestrators/approvalFlow/ops-2', { method: 'POST', body: '{}' })).status).toBe(500);
    // raiseEvent takes application/json only, and valid JSON (HandleRaiseEventRequestAsync).
    expect((await rpc('instances/ops-2/raiseEvent/approve', { method: 'POST', body: 'yes', headers: { 'content-type': 'text/plain' } })).status).toBe(400);
    expect((await rpc('instances/ops-2/raiseEvent/approve', { method: 'POST', body: '{no', headers: { 'content-type': 'application/json' } })).status).toBe(400);
    // Rewinding a running instance: RewindAsync throws -> 500; a terminated one -> 410.
    expect((await rpc('instances/ops-2/rewind?reason=x', { method: 'POST' })).status).toBe(500);
    expect((await rpc('instances/ops-2/terminate?reason=stop', { method: 'POST' })).status).toBe(202);
    expect(await status('ops-2')).toMatchObject({ runtimeStatus: 'Terminated', output: 'stop' });
    const terminated = await rpc('instances/ops-2?showHistory=true');
    expect(terminated.status).toBe(200);
    expect(((await terminated.json()) as Status).historyEvents?.slice(-2)).toEqual([
      expect.objectContaining({ EventType: 'ExecutionTerminated', Input: 'stop' }),
      expect.objectContaining({ EventType: 'ExecutionCompleted', OrchestrationStatus: 'Terminated' }),
    ]);
    expect((await rpc('instances/ops-2/terminate?reason=again', { method: 'POST' })).status).toBe(410);
    expect((await rpc('instances/ops-2/rewind?reason=x', { method: 'POST' })).status).toBe(410);
    expect(await (await rpc('instances/ops-2', { method: 'DELETE' })).json()).toEqual({ instancesDeleted: 1 });
    expect((await rpc('instances/ops-2')).status).toBe(404);

    // No reason: the extension passes null (output null); status times are whole seconds ("s" + "Z").
    await start('approvalFlow', 'ops-3', { key: 'k5', name: 'z', failures: 0, cooldownMs: HOUR });
    await until('waiting', async () => (await stage('ops-3')) === 'waiting');
    expect((await rpc('instances/ops-3/terminate', { method: 'POST' })).status).toBe(202);
    const noReason = (await (await rpc('instances/ops-3?showHistory=true')).json()) as Status;
    expect(noReason).toMatchObject({ runtimeStatus: 'Terminated', output: null });
    expect(noReason.historyEvents?.slice(-2)[0]).toMatchObject({ EventType: 'ExecutionTerminated', Input: null });
    expect(noReason.createdTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(noReason.lastUpdatedTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('state survives a host kill: the entity keeps its state and a waiting orchestration completes after restart', async () => {
    await start('approvalFlow', 'restart-1', { key: 'kr', name: 'r', failures: 0, cooldownMs: HOUR });
    await until('waiting', async () => (await stage('restart-1')) === 'waiting');
    await api('/api/breaker/kr?op=note&input=before-kill', { method: 'POST' });
    await until('note', async () => ((await (await api('/api/breaker/kr')).json()) as { notes: string[] }).notes.includes('before-kill'));
    await host.kill();
    host = await spawnHost({ app: fixture('durable-app/main.ts'), settings: settings() });
    expect(await (await api('/api/breaker/kr')).json()).toEqual({ state: 'open', trips: 1, notes: ['tripped by orchestration', 'before-kill'] });
    expect((await status('restart-1')).runtimeStatus).toBe('Running');
    await api('/api/approve/restart-1', { method: 'POST', body: '"after restart"' });
    await until('completion after restart', async () => (await status('restart-1')).runtimeStatus === 'Completed');
    expect(((await status('restart-1')).output as { decision: unknown }).decision).toBe('after restart');
    expect(await (await api('/api/breaker/kr')).json()).toMatchObject({ state: 'closed' });
  });

  it('createHttpManagementPayload links point at this host; the admin clock needs the master key', async () => {
    const payload = (await (await api('/api/payload/abc')).json()) as Record<string, string>;
    expect(payload['statusQueryGetUri']).toContain(`${host.baseUrl}/runtime/webhooks/durabletask/instances/abc?`);
    expect((await api('/admin/durable/clock')).status).toBe(401);
    expect((await api(`/admin/durable/clock?code=${host.masterKey}`)).status).toBe(200);
  });
});
