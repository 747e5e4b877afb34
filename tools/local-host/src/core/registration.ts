import type { FunctionCallback, FunctionMetadata, RpcBindingInfo } from './core-types';

/** One `app.*` registration as captured through `registerFunction`, unchanged. */
export interface Registration {
  readonly name: string;
  readonly metadata: FunctionMetadata;
  readonly handler: FunctionCallback;
  /** The binding whose type ends in `Trigger` (the worker's rule). */
  readonly triggerName: string;
  readonly trigger: RpcBindingInfo;
  readonly triggerType: string;
}

export function toRegistration(metadata: FunctionMetadata, handler: FunctionCallback): Registration {
  const entry = Object.entries(metadata.bindings).find(([, b]) => /trigger$/i.test(b.type ?? ''));
  const [triggerName, trigger] = entry ?? ['', { type: 'unknown' }];
  return { name: metadata.name, metadata, handler, triggerName, trigger, triggerType: String(trigger.type) };
}
