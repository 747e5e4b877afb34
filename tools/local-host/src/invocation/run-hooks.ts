import type { HookCallback, HookContext, RpcLogCategory, RpcLogLevel } from '../core/core-types';

/** Runs hooks in registration order; a throwing hook blocks the invocation (worker semantics). */
export async function runHooks(hooks: readonly HookCallback[], context: HookContext): Promise<void> {
  for (const hook of [...hooks]) await hook(context);
}

export interface LogHookInput {
  level: RpcLogLevel;
  message: string;
  category: RpcLogCategory;
  invocationContext?: unknown;
  hookData?: Record<string, unknown>;
}

/**
 * Runs `app.hook.log` hooks for one log line, synchronously (LogHookHandler returns void), as the
 * worker does for user and system logs (@azure/functions types/hooks/logHooks.d.ts; host >= 4.34).
 * A hook may change level and message; that applies to user logs only. A throwing hook is
 * reported through `onError` and does not stop the log.
 */
export function runLogHooks(hooks: readonly HookCallback[], appHookData: Record<string, unknown>, input: LogHookInput, onError: (error: unknown) => void): { level: RpcLogLevel; message: string } {
  if (hooks.length === 0) return { level: input.level, message: input.message };
  const context: HookContext = { hookData: input.hookData ?? {}, appHookData, level: input.level, message: input.message, category: input.category, invocationContext: input.invocationContext };
  for (const hook of [...hooks]) {
    try {
      const result = hook(context);
      if (result && typeof (result as Promise<void>).catch === 'function') (result as Promise<void>).catch(onError);
    } catch (thrown) {
      onError(thrown);
    }
  }
  if (input.category !== 'user') return { level: input.level, message: input.message };
  return { level: context['level'] as RpcLogLevel, message: String(context['message']) };
}
