import * as df from 'durable-functions';
import type { EntityContext } from 'durable-functions';
import { applyBreakerCommand, BREAKER_OPERATIONS, initialBreakerState, type BreakerCommand, type BreakerState } from '@telemetry/breaker-rules';
import { BREAKER_ENTITY } from '../names';
import { breakerServices } from '../services';

/**
 * The `breaker` entity: the one place the breaker's state lives (Durable persists it, so a
 * breaker restart mid-episode carries on). Each operation applies the pure state machine.
 */
export function breakerEntity(context: EntityContext<BreakerState>): void {
  const operation = context.df.operationName;
  const state = context.df.getState(() => initialBreakerState()) ?? initialBreakerState();
  if (operation === 'get') {
    context.df.return(state);
    return;
  }
  if (!operation || !(BREAKER_OPERATIONS as readonly string[]).includes(operation)) {
    throw new Error(`unknown breaker operation ${String(operation)}`);
  }
  const command = { ...(context.df.getInput() as BreakerCommand), op: operation } as BreakerCommand;
  const step = applyBreakerCommand(state, command);
  context.df.setState(step.state);
  context.df.return(step.outcome);
}

/** The registered entity: the state machine, plus a `breaker.state.changes` count per transition. */
export function observedBreakerEntity(context: EntityContext<BreakerState>): void {
  const before = context.df.getState(() => initialBreakerState())?.status;
  breakerEntity(context);
  const after = context.df.getState(() => initialBreakerState())?.status;
  if (after && after !== before) breakerServices().telemetry.metrics.count('breaker.state.changes', 1, { to: after });
}

df.app.entity(BREAKER_ENTITY, observedBreakerEntity);
