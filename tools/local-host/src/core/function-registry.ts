import { LocalHostError } from '../errors';
import type { FunctionCallback, FunctionMetadata, HookCallback, HookName, ProgrammingModel } from './core-types';
import { toRegistration, type Registration } from './registration';
import type { WorkerHttpProxy } from '../drivers/http/worker-http-proxy';

/** Everything an app registers while it loads: functions, hooks and its programming model. */
export class FunctionRegistry {
  private readonly functions = new Map<string, Registration>();
  private readonly hooks = new Map<HookName, HookCallback[]>();
  private model?: ProgrammingModel;
  /** What getCapabilities returned once loading was done (e.g. HttpUri for enableHttpStream). */
  capabilities: Record<string, string> = {};
  /** The library's HTTP proxy when the app enabled HTTP streaming. */
  httpProxy?: WorkerHttpProxy;

  addFunction(metadata: FunctionMetadata, handler: FunctionCallback): Registration {
    const key = metadata.name.toLowerCase();
    if (this.functions.has(key)) {
      // Function names are case-insensitive in the host.
      throw new LocalHostError('DUPLICATE_FUNCTION', `function "${metadata.name}" is registered twice`, 'load');
    }
    const registration = toRegistration(metadata, handler);
    this.functions.set(key, registration);
    return registration;
  }

  removeFunction(name: string): void {
    this.functions.delete(name.toLowerCase());
  }

  get(name: string): Registration | undefined {
    return this.functions.get(name.toLowerCase());
  }

  all(): Registration[] {
    return [...this.functions.values()];
  }

  addHook(name: HookName, callback: HookCallback): () => void {
    const list = this.hooks.get(name) ?? [];
    list.push(callback);
    this.hooks.set(name, list);
    return () => {
      const index = list.indexOf(callback);
      if (index >= 0) list.splice(index, 1);
    };
  }

  hooksFor(name: HookName): readonly HookCallback[] {
    return this.hooks.get(name) ?? [];
  }

  setProgrammingModel(model: ProgrammingModel): void {
    this.model = model;
  }

  programmingModel(): ProgrammingModel | undefined {
    return this.model;
  }
}
