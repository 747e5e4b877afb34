import Module from 'node:module';
import type { FunctionsCoreApi } from './functions-core-api';

export const CORE_MODULE_NAME = '@azure/functions-core';
const CORE_MODULE_ID = '\0local-host:@azure/functions-core';

interface ModuleInternals {
  _resolveFilename(request: string, parent: unknown, ...rest: unknown[]): string;
}

let installed: FunctionsCoreApi | undefined;

/**
 * Makes `require('@azure/functions-core')` return `api` in this process, as the Node worker does
 * for the app it loads. One app per process: installing a second API replaces the first.
 */
export function installCoreModule(api: FunctionsCoreApi): void {
  const internals = Module as unknown as ModuleInternals;
  if (!installed) {
    const original = internals._resolveFilename;
    internals._resolveFilename = function resolve(request, parent, ...rest) {
      if (request === CORE_MODULE_NAME) return CORE_MODULE_ID;
      return original.call(this, request, parent, ...rest);
    };
  }
  installed = api;
  const mod = new Module(CORE_MODULE_ID);
  mod.exports = api;
  mod.loaded = true;
  require.cache[CORE_MODULE_ID] = mod;
}
