import type { FunctionCallback, FunctionMetadata, HookCallback, HookName, ProgrammingModel, RpcLogCategory, RpcLogLevel } from './core-types';
import type { FunctionRegistry } from './function-registry';

/** Mirrors the worker's Disposable (Disposable.from, dispose once). */
export class CoreDisposable {
  private disposed = false;
  static from(...likes: { dispose: () => unknown }[]): CoreDisposable {
    return new CoreDisposable(() => likes.forEach((like) => like.dispose()));
  }
  constructor(private readonly callOnDispose: () => unknown) {}
  dispose(): unknown {
    if (this.disposed) return undefined;
    this.disposed = true;
    return this.callOnDispose();
  }
}

const KNOWN_HOOKS: readonly HookName[] = ['appStart', 'appTerminate', 'preInvocation', 'postInvocation', 'log'];

export type SystemLog = (level: RpcLogLevel, category: RpcLogCategory, message: string) => void;

/** The object returned by `require('@azure/functions-core')` inside the app's process. */
export interface FunctionsCoreApi {
  version: string;
  hostVersion: string;
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): CoreDisposable;
  registerHook(hookName: string, callback: HookCallback): CoreDisposable;
  setProgrammingModel(model: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
  Disposable: typeof CoreDisposable;
}

/** Worker version we claim: 3.x is the worker line that serves @azure/functions 4.x. */
export const CORE_VERSION = '3.10.1-local';
/** Host version claimed; >= 4.34 so log hooks and HTTP streaming checks pass. */
export const HOST_VERSION = '4.1040.0-local';

export function createFunctionsCoreApi(registry: FunctionRegistry, systemLog: SystemLog): FunctionsCoreApi {
  return {
    version: CORE_VERSION,
    hostVersion: HOST_VERSION,
    registerFunction(metadata, callback) {
      registry.addFunction(metadata, callback);
      return new CoreDisposable(() => registry.removeFunction(metadata.name));
    },
    registerHook(hookName, callback) {
      if (!KNOWN_HOOKS.includes(hookName as HookName)) {
        // The worker throws a RangeError for unknown hook names; the library relies on that.
        throw new RangeError(`Unrecognized hook "${hookName}"`);
      }
      return new CoreDisposable(registry.addHook(hookName as HookName, callback));
    },
    setProgrammingModel: (model) => registry.setProgrammingModel(model),
    getProgrammingModel: () => registry.programmingModel(),
    log: systemLog,
    Disposable: CoreDisposable,
  };
}
