import * as df from 'durable-functions';
import type { EntityContext } from 'durable-functions';
import {
  actionTypeEnum,
  createEntityFunction,
  createOrchestrator,
  dummyContext,
  durableFunctionsVersion,
  historyEventTypeEnum,
  replaySchemaEnum,
  requiredTriggerFields,
} from '../testing/durable-internals';
import { ActionType, EventType, OUT_OF_PROC_DATA_LABEL, UPPER_SCHEMA_VERSION, type EntityStateWire } from './wire';

// CANARY: the local host speaks durable-functions' internal out-of-process protocol. If this
// file fails after an upgrade, re-check wire.ts and the Durable README section before anything else.
describe('durable-functions internals canary (pinned 3.5.0)', () => {
  it('is the pinned version', () => {
    expect(durableFunctionsVersion()).toBe('3.5.0');
  });

  it('history event and action numbers match wire.ts', () => {
    const history = historyEventTypeEnum();
    for (const [name, value] of Object.entries(EventType)) expect([name, history[name]]).toEqual([name, value]);
    const actions = actionTypeEnum();
    for (const [name, value] of Object.entries(ActionType)) expect([name, actions[name]]).toEqual([name, value]);
    expect(replaySchemaEnum()['V3']).toBe(UPPER_SCHEMA_VERSION);
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

  it('an orchestrator failure carries its state after the $OutOfProcData$ label', async () => {
    const listener = createOrchestrator(function* () {
      yield undefined as never;
      throw new Error('never');
    });
    const history = [{ EventType: EventType.OrchestratorStarted, EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString() }, { EventType: EventType.ExecutionStarted, EventId: -1, IsPlayed: false, Timestamp: new Date().toISOString(), Name: 'o' }];
    const failure = await listener({ history, input: null, instanceId: 'i', isReplaying: false, upperSchemaVersion: UPPER_SCHEMA_VERSION }, dummyContext('orchestration')).catch((e: Error) => e);
    expect(failure).toBeInstanceOf(Error);
    const text = (failure as Error).message;
    expect(text).toContain(OUT_OF_PROC_DATA_LABEL);
    const state = JSON.parse(text.slice(text.indexOf(OUT_OF_PROC_DATA_LABEL) + OUT_OF_PROC_DATA_LABEL.length)) as { isDone: boolean; error: string };
    expect(state).toMatchObject({ isDone: false });
    expect(state.error).toContain('programming constraint violation');
  });

  it('an entity batch returns EntityState { entityExists, entityState, results, signals }', async () => {
    const listener = createEntityFunction((context: unknown) => {
      const ctx = context as EntityContext<number>;
      const value = (ctx.df.getState(() => 0) ?? 0) + Number(ctx.df.getInput());
      ctx.df.setState(value);
      ctx.df.return(value);
      ctx.df.signalEntity(new df.EntityId('other', 'k'), 'seen', value);
    });
    const result = (await listener({ self: { name: 'counter', key: 'k' }, exists: true, state: '5', batch: [{ id: 'r1', name: 'add', signal: false, input: '2' }] }, dummyContext('entity'))) as EntityStateWire;
    expect(JSON.parse(JSON.stringify(result))).toMatchObject({
      entityExists: true,
      entityState: '7',
      results: [{ isError: false, result: '7' }],
      signals: [{ target: { name: 'other', key: 'k' }, name: 'seen', input: '7' }],
    });
  });
});
