import type { HookCallback, HookContext } from '../core/core-types';

/** Runs hooks in registration order; a throwing hook blocks the invocation (worker semantics). */
export async function runHooks(hooks: readonly HookCallback[], context: HookContext): Promise<void> {
  for (const hook of [...hooks]) await hook(context);
}
