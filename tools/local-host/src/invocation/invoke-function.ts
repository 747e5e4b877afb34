import { randomUUID } from 'node:crypto';
import { LocalHostError, toError } from '../errors';
import type { Logger, LogLevel } from '../logging/logger';
import type { CoreInvocationContext, HookContext, RpcInvocationRequest, RpcInvocationResponse, RpcLogLevel } from '../core/core-types';
import type { FunctionRegistry } from '../core/function-registry';
import type { Registration } from '../core/registration';
import { runHooks, runLogHooks } from './run-hooks';

export interface InvokeOptions {
  registry: FunctionRegistry;
  registration: Registration;
  /** inputData + triggerMetadata + retryContext as the host would send them over RPC. */
  request: Omit<RpcInvocationRequest, 'invocationId' | 'functionId'>;
  logger: Logger;
  invocationId?: string;
}

export interface InvokeResult {
  invocationId: string;
  response: RpcInvocationResponse;
}

/** Host log level names from the worker's RPC levels. */
function toLogLevel(level: RpcLogLevel): LogLevel {
  return level === 'none' ? 'trace' : level;
}

/**
 * Runs one invocation exactly as the Node worker does: the app's own programming model turns the
 * RPC request into (context, inputs), hooks run around the handler, and the response comes back
 * in RPC shape. So handlers get the app's own HttpRequest/InvocationContext classes.
 */
export async function invokeFunction(options: InvokeOptions): Promise<InvokeResult> {
  const { registry, registration, logger } = options;
  const invocationId = options.invocationId ?? randomUUID();
  const model = registry.programmingModel();
  if (!model) throw new LocalHostError('APP_LOAD_FAILED', 'the app never set a programming model (is @azure/functions v4 loaded?)', 'invoke');
  const log = logger.child({ functionName: registration.name, invocationId });
  const coreCtx: CoreInvocationContext = {
    invocationId,
    request: { ...options.request, invocationId, functionId: registration.metadata.functionId ?? registration.name },
    metadata: registration.metadata,
    log: (level, category, message) => {
      // app.hook.log hooks see every log of the invocation and may rewrite user logs.
      const hooked = runLogHooks(registry.hooksFor('log'), appHookData, { level, message, category, invocationContext: current.context, hookData }, (e) =>
        log.log({ level: 'error', category: 'system', message: 'log hook failed', fields: { error: toError(e).message } }),
      );
      log.log({ level: toLogLevel(hooked.level), category: category === 'user' ? 'user' : 'system', message: hooked.message });
    },
  };
  const appHookData = appHookDataOf(registry);
  // The InvocationContext once the library has built it (logs before that have none).
  const current: { context?: unknown } = {};
  const hookData: Record<string, unknown> = {};
  const invocationModel = model.getInvocationModel(coreCtx);
  const { context, inputs: argInputs } = await invocationModel.getArguments();
  current.context = context;

  coreCtx.state = 'preInvocationHooks';
  const pre: HookContext = { hookData, appHookData, invocationContext: context, inputs: argInputs, functionCallback: registration.handler };
  await runHooks(registry.hooksFor('preInvocation'), pre);
  const inputs = pre['inputs'] as unknown[];
  const callback = pre['functionCallback'] as typeof registration.handler;

  coreCtx.state = 'invocation';
  let result: unknown;
  let error: unknown = null;
  try {
    result = await invocationModel.invokeFunction(context, inputs, callback);
  } catch (thrown) {
    error = thrown;
  }

  coreCtx.state = 'postInvocationHooks';
  const post: HookContext = { hookData: pre.hookData, appHookData, invocationContext: context, inputs, result, error };
  await runHooks(registry.hooksFor('postInvocation'), post);
  coreCtx.state = undefined;
  if (post['error']) throw toError(post['error']);
  const response = await invocationModel.getResponse(context, post['result']);
  return { invocationId, response };
}

type HookData = Record<string, unknown>;

/** One object per app (registry) in `store`, made on first use. */
function perApp(store: WeakMap<FunctionRegistry, HookData>, registry: FunctionRegistry): HookData {
  let data = store.get(registry);
  if (!data) store.set(registry, (data = {}));
  return data;
}

const appHookData = new WeakMap<FunctionRegistry, HookData>();
/** Shared across every hook of the app, as `appHookData` is in the worker. */
export function appHookDataOf(registry: FunctionRegistry): HookData {
  return perApp(appHookData, registry);
}

const appLevelOnlyHookData = new WeakMap<FunctionRegistry, HookData>();
/**
 * The `hookData` appStart and appTerminate share, and no invocation hook sees (the Node worker's
 * `appLevelOnlyHookData`, given to both app-level hooks).
 */
export function appLevelOnlyHookDataOf(registry: FunctionRegistry): HookData {
  return perApp(appLevelOnlyHookData, registry);
}
