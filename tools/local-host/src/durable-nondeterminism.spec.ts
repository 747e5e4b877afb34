import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { waitUntil } from '@telemetry/local-services';
import { spawnHost, type SpawnedHost } from './index';
import { fixture } from './testing/records';

interface Status {
  runtimeStatus: string;
  output: unknown;
  customStatus: unknown;
}

type HistoryEvent = { EventType: string; FunctionName?: string; OrchestrationStatus?: string };

// An orchestrator changed between its first episode and the replay (the fixture's flag file), as a
// deployment under running instances changes it. DTFx (TaskOrchestrationContext.HandleTaskScheduledEvent
// and siblings) fails the instance with NonDeterministicOrchestrationException's message; the JS
// client's getStatus shows it as the output of a Failed instance.
describe('Durable replay: code changed under a running instance (file task hub)', () => {
  let host: SpawnedHost;
  const driftDir = mkdtempSync(path.join(tmpdir(), 'local-host-drift-'));
  const api = (p: string, init?: RequestInit): Promise<Response> => fetch(`${host.baseUrl}/api/${p}`, init);
  const status = async (id: string): Promise<Status> => (await (await api(`status/${id}`)).json()) as Status;
  // The JS client's status object drops `historyEvents`; the management API has them.
  const history = async (id: string): Promise<HistoryEvent[]> => {
    const response = await fetch(`${host.baseUrl}/runtime/webhooks/durabletask/instances/${id}?showHistory=true`, { headers: { 'x-functions-key': host.masterKey } });
    return ((await response.json()) as { historyEvents: HistoryEvent[] }).historyEvents;
  };

  /** Runs the original code to its wait, switches the code to `variant`, and replays it with the event. */
  const runChanged = async (id: string, variant: string | undefined): Promise<Status> => {
    expect((await api(`start/${id}`, { method: 'POST' })).status).toBe(202);
    await waitUntil(async () => (await status(id)).customStatus === 'waiting', { timeoutMs: 60_000, description: `${id} waiting` });
    if (variant) writeFileSync(path.join(driftDir, id), variant);
    expect((await api(`go/${id}`, { method: 'POST', body: JSON.stringify('now') })).status).toBe(202);
    await waitUntil(async () => !['Pending', 'Running'].includes((await status(id)).runtimeStatus), { timeoutMs: 60_000, description: `${id} finished` });
    return status(id);
  };

  beforeAll(async () => {
    host = await spawnHost({ app: fixture('durable-drift-app/main.ts'), settings: { LOCAL_DURABLE_STORE_DIR: mkdtempSync(path.join(tmpdir(), 'local-host-drift-store-')), DRIFT_DIR: driftDir } });
  });
  afterAll(async () => {
    await host?.stop();
  });

  it('another activity name at a sequence number in history -> Failed, "Non-Deterministic workflow detected"', async () => {
    const done = await runChanged('renamed-1', 'renamed');
    expect(done.runtimeStatus).toBe('Failed');
    expect(done.output).toBe(
      "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'greet', " +
        "but the current orchestration replay instead scheduled an activity task named 'shout' with this sequence number.  " +
        'Was a change made to the orchestrator code after this instance had already started running?',
    );
    // Nothing the changed code asked for ran: the history ends with the failure.
    const events = await history('renamed-1');
    expect(events.map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'EventRaised', 'ExecutionCompleted']);
    expect(events[1]).toMatchObject({ FunctionName: 'greet' });
    expect(events.at(-1)).toMatchObject({ OrchestrationStatus: 'Failed' });
  });

  it('a timer where the activity was -> Failed (the activity\'s result is not fed to the timer)', async () => {
    const done = await runChanged('timer-1', 'timer');
    expect(done.runtimeStatus).toBe('Failed');
    expect(done.output).toBe(
      "Non-Deterministic workflow detected: A previous execution of this orchestration scheduled an activity task with sequence number 0 named 'greet', " +
        'but the current orchestration replay instead produced a CreateTimerOrchestratorAction action with this sequence number. ' +
        'Was a change made to the orchestrator code after this instance had already started running?',
    );
    expect((await history('timer-1')).map((e) => e.EventType)).toEqual(['ExecutionStarted', 'TaskCompleted', 'EventRaised', 'ExecutionCompleted']);
  });

  it('unchanged code -> Completed (no false positive)', async () => {
    const done = await runChanged('same-1', undefined);
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { first: 'hello bob', go: 'now' } });
  });

  it('the same activity with another input -> Completed with the recorded result (inputs are not compared)', async () => {
    const done = await runChanged('input-1', 'input');
    expect(done).toMatchObject({ runtimeStatus: 'Completed', output: { first: 'hello bob', go: 'now' } });
  });
});
