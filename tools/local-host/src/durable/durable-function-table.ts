import type { FunctionExecutor } from '../invocation/function-executor';

export type DurableKind = 'orchestration' | 'entity' | 'activity';

export interface DurableFunctionHandle {
  kind: DurableKind;
  name: string;
  executor: FunctionExecutor;
  /** False while the function is paused through the admin API: its work waits. */
  isRunning(): boolean;
}

export const DURABLE_TRIGGER_KINDS: Readonly<Record<string, DurableKind>> = {
  orchestrationtrigger: 'orchestration',
  entitytrigger: 'entity',
  activitytrigger: 'activity',
};

/** Durable functions by kind and (case-insensitive) name, as their drivers start and stop. */
export class DurableFunctionTable {
  private readonly handles = new Map<string, DurableFunctionHandle>();

  register(handle: DurableFunctionHandle): void {
    this.handles.set(`${handle.kind}:${handle.name.toLowerCase()}`, handle);
  }

  unregister(kind: DurableKind, name: string): void {
    this.handles.delete(`${kind}:${name.toLowerCase()}`);
  }

  get(kind: DurableKind, name: string): DurableFunctionHandle | undefined {
    return this.handles.get(`${kind}:${name.toLowerCase()}`);
  }
}
