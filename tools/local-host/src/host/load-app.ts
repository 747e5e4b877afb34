import { Server as HttpServer } from 'node:http';
import { createFunctionsCoreApi } from '../core/functions-core-api';
import { withLoopbackListen, WorkerHttpProxy } from '../drivers/http/worker-http-proxy';
import { FunctionRegistry } from '../core/function-registry';
import { installCoreModule } from '../core/install-core-module';
import { LocalHostError, toError } from '../errors';
import { appHookDataOf, appLevelOnlyHookDataOf } from '../invocation/invoke-function';
import { runHooks, runLogHooks } from '../invocation/run-hooks';
import type { Logger, LogLevel } from '../logging/logger';
import type { ResolvedApp } from './resolve-app';

/**
 * Loads the app in this process with `@azure/functions-core` provided, so its real `app.*`
 * calls register here; then runs its appStart hooks (worker order: load, then appStart).
 */
export async function loadApp(app: ResolvedApp, logger: Logger): Promise<FunctionRegistry> {
  const registry = new FunctionRegistry();
  installCoreModule(
    createFunctionsCoreApi(registry, (level, category, message) => {
      // Logs outside an invocation (the library's system logs, console in app start) reach log hooks too.
      const hooked = runLogHooks(registry.hooksFor('log'), appHookDataOf(registry), { level, message, category }, (e) =>
        logger.log({ level: 'error', category: 'system', message: 'log hook failed', fields: { error: toError(e).message } }),
      );
      logger.log({ level: (hooked.level === 'none' ? 'trace' : hooked.level) as LogLevel, category: category === 'user' ? 'user' : 'system', message: hooked.message });
    }),
  );
  // The worker runs a built app without source maps (unless NODE_OPTIONS asks for them). tsx turns
  // them on process-wide; left on, Node would parse the bundle's linked .map (tens of MB of JSON)
  // and keep it for the life of the process.
  const built = app.entries.every((entry) => /\.[cm]?js$/i.test(entry));
  const sourceMaps = (process as { sourceMapsEnabled?: boolean }).sourceMapsEnabled ?? false;
  if (built) process.setSourceMapsEnabled(false);
  try {
    // Every file `main` names, in order, as the worker loads them (src/startApp.ts).
    for (const entry of app.entries) {
      try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker loads CommonJS apps with require
        require(entry);
      } catch (thrown) {
        throw new LocalHostError('APP_LOAD_FAILED', `Worker was unable to load entry point "${entry}": ${toError(thrown).message}`, 'load', false, { cause: thrown });
      }
    }
  } finally {
    if (built) process.setSourceMapsEnabled(sourceMaps);
  }
  const model = registry.programmingModel();
  // The worker asks for capabilities once loading is done; this locks the library's setup(). With
  // enableHttpStream the library starts its HTTP proxy here and reports it as HttpUri.
  if (model?.getCapabilities) {
    const { result, servers } = await withLoopbackListen(() => model.getCapabilities!({}));
    registry.capabilities = { ...result };
    const uri = result['HttpUri'];
    const server = servers.find((s): s is HttpServer => s instanceof HttpServer);
    // The library reports http://localhost:PORT/; it listens on 127.0.0.1 (withLoopbackListen).
    if (uri && server) registry.httpProxy = new WorkerHttpProxy(uri.replace('//localhost:', '//127.0.0.1:'), server);
  }
  await runHooks(registry.hooksFor('appStart'), { hookData: appLevelOnlyHookDataOf(registry), appHookData: appHookDataOf(registry), functionAppDirectory: app.appDir });
  return registry;
}
