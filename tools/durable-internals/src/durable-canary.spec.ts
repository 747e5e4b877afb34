import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as df from 'durable-functions';
import type { EntityContext } from 'durable-functions';
import { executionStarted, orchestratorStarted } from './history-events';
import {
  createEntityFunction,
  createOrchestrator,
  dummyContext,
  durableFunctionsVersion,
  libraryActionType,
  libraryHistoryEventType,
  libraryOutOfProcDataLabel,
  libraryReplaySchema,
  libraryRuntimeStatus,
  libraryTestTriggerDefaults,
  requiredTriggerFields,
} from './library-internals';
import { OrchestrationReplay } from './orchestration-replay';
import {
  ActionType,
  DEFAULT_TRIGGER_TIMINGS,
  EventType,
  OUT_OF_PROC_DATA_LABEL,
  ReplaySchema,
  RUNTIME_STATUSES,
  UPPER_SCHEMA_VERSION,
  type EntityStateWire,
} from './wire';

const ROOT = path.resolve(__dirname, '../../..');

// CANARY: the local host's Durable engine and the apps' replay tests speak durable-functions'
// internal out-of-process protocol through this module alone. If this file fails after an
// upgrade, re-check wire.ts (and the Durable notes in docs) before anything else.
describe('durable-functions internals canary (pinned 3.5.0)', () => {
  it('is the pinned version, the one package.json pins exactly', () => {
    const pinned = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['durable-functions'];
    expect(durableFunctionsVersion()).toBe('3.5.0');
    expect(pinned).toBe('3.5.0');
  });

  it('every history event number in wire.ts is the library’s', () => {
    const library = libraryHistoryEventType();
    for (const [name, value] of Object.entries(EventType)) expect([name, library[name]]).toEqual([name, value]);
  });

  it('every action number in wire.ts is the library’s', () => {
    const library = libraryActionType();
    for (const [name, value] of Object.entries(ActionType)) expect([name, library[name]]).toEqual([name, value]);
  });

  it('every replay schema number is the library’s, and the host announces V3', () => {
    const library = libraryReplaySchema();
    for (const [name, value] of Object.entries(ReplaySchema)) expect([name, library[name]]).toEqual([name, value]);
    expect(UPPER_SCHEMA_VERSION).toBe(library['V3']);
  });

  it('the runtime statuses are the library’s OrchestrationRuntimeStatus values', () => {
    expect([...RUNTIME_STATUSES].sort()).toEqual(Object.values(libraryRuntimeStatus()).sort());
  });

  it('the failure label is the one OrchestrationFailureError writes', () => {
    expect(libraryOutOfProcDataLabel()).toBe(OUT_OF_PROC_DATA_LABEL);
  });

  it('the trigger timings a test replay sends are the library’s own test defaults', () => {
    expect(libraryTestTriggerDefaults()).toEqual(DEFAULT_TRIGGER_TIMINGS);
  });

  it('trigger inputs need the fields the host sends', () => {
    expect(requiredTriggerFields()).toEqual({ orchestration: ['history', 'instanceId', 'isReplaying', 'upperSchemaVersion'], entity: ['batch', 'exists', 'self'] });
  });

  it('df.app.* register with the Durable trigger types and the durableClient input', () => {
    expect([df.trigger.orchestration().type, df.trigger.entity().type, df.trigger.activity().type, df.input.durableClient().type]).toEqual([
      'orchestrationTrigger',
      'entityTrigger',
      'activityTrigger',
      'durableClient',
    ]);
  });

  it('an orchestrator run returns OrchestratorState { isDone, actions, schemaVersion } with the scheduled action', async () => {
    const listener = createOrchestrator(function* (context: df.OrchestrationContext) {
      return (yield context.df.callActivity('greet', 'bob')) as unknown;
    });
    const now = Date.now();
    const state = await listener({ history: [orchestratorStarted(now), executionStarted(now, 'o', null)], input: null, instanceId: 'i', isReplaying: false, upperSchemaVersion: UPPER_SCHEMA_VERSION, ...DEFAULT_TRIGGER_TIMINGS }, dummyContext('orchestration'));
    expect(JSON.parse(JSON.stringify(state))).toMatchObject({ isDone: false, schemaVersion: UPPER_SCHEMA_VERSION, actions: [[{ actionType: ActionType.CallActivity, functionName: 'greet', input: '"bob"' }]] });
  });

  it('an orchestrator failure carries its state after the $OutOfProcData$ label', async () => {
    const listener = createOrchestrator(function* () {
      yield undefined as never;
      throw new Error('never');
    });
    const now = Date.now();
    const failure = await listener({ history: [orchestratorStarted(now), executionStarted(now, 'o', null)], input: null, instanceId: 'i', isReplaying: false, upperSchemaVersion: UPPER_SCHEMA_VERSION }, dummyContext('orchestration')).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    const text = (failure as Error).message;
    expect(text).toContain(OUT_OF_PROC_DATA_LABEL);
    const state = JSON.parse(text.slice(text.indexOf(OUT_OF_PROC_DATA_LABEL) + OUT_OF_PROC_DATA_LABEL.length)) as { isDone: boolean; error: string };
    expect(state).toMatchObject({ isDone: false });
    expect(state.error).toContain('programming constraint violation');
  });

  it('an entity batch returns EntityState { entityExists, entityState, results, signals }', async () => {
    const listener = createEntityFunction((context: EntityContext<number>) => {
      const value = (context.df.getState(() => 0) ?? 0) + Number(context.df.getInput());
      context.df.setState(value);
      context.df.return(value);
      context.df.signalEntity(new df.EntityId('other', 'k'), 'seen', value);
    });
    const result = (await listener({ self: { name: 'counter', key: 'k' }, exists: true, state: '5', batch: [{ id: 'r1', name: 'add', signal: false, input: '2' }] }, dummyContext('entity'))) as EntityStateWire;
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({
      entityExists: true,
      entityState: '7',
      results: [{ isError: false, result: '7' }],
      signals: [{ target: { name: 'other', key: 'k' }, name: 'seen', input: '7' }],
    });
  });

  it('the history the replay harness writes drives the library: an activity result, then an entity call answered by EventRaised { result }', async () => {
    const replay = new OrchestrationReplay(
      function* (context: df.OrchestrationContext) {
        const greeting = (yield context.df.callActivity('greet', 'bob')) as string;
        const count = (yield context.df.callEntity(new df.EntityId('counter', 'k'), 'add', 1)) as number;
        return `${greeting} ${count}`;
      },
      { instanceId: 'i', input: null, startAt: new Date('2026-11-21T22:00:00Z') },
    );
    expect((await replay.start()).newActions).toEqual([{ type: 'callActivity', name: 'greet', input: '"bob"', retry: false }]);
    expect((await replay.completeActivity('greet', 'hello bob')).newActions).toEqual([{ type: 'callEntity', entity: '@counter@k', operation: 'add', input: 1 }]);
    expect(await replay.respondEntity(3)).toMatchObject({ isDone: true, output: 'hello bob 3' });
    expect(replay.history.map((e) => e.EventType)).toEqual([
      EventType.OrchestratorStarted, EventType.ExecutionStarted, EventType.TaskScheduled, EventType.OrchestratorCompleted,
      EventType.OrchestratorStarted, EventType.TaskCompleted, EventType.EventSent, EventType.OrchestratorCompleted,
      EventType.OrchestratorStarted, EventType.EventRaised, EventType.OrchestratorCompleted,
    ]);
  });

  it('no other file in the workspace deep-imports durable-functions', () => {
    const files = execFileSync('git', ['grep', '--untracked', '-l', '-e', 'durable-functions/lib', '--', '*.ts', '*.js', '*.mjs', '*.cjs'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    expect(files.filter((f) => !f.startsWith('tools/durable-internals/'))).toEqual([]);
  });
});
