import { createFunctionsCoreApi } from '../core/functions-core-api';
import { FunctionRegistry } from '../core/function-registry';
import { installCoreModule } from '../core/install-core-module';
import { LocalHostError, toError } from '../errors';
import { appHookDataOf } from '../invocation/invoke-function';
import { runHooks } from '../invocation/run-hooks';
import type { Logger, LogLevel } from '../logging/logger';
import type { ResolvedApp } from './resolve-app';

/**
 * Loads the app in this process with `@azure/functions-core` provided, so its real `app.*`
 * calls register here; then runs its appStart hooks (worker order: load, then appStart).
 */
export async function loadApp(app: ResolvedApp, logger: Logger): Promise<FunctionRegistry> {
  const registry = new FunctionRegistry();
  installCoreModule(
    createFunctionsCoreApi(registry, (level, category, message) =>
      logger.log({ level: (level === 'none' ? 'trace' : level) as LogLevel, category: category === 'user' ? 'user' : 'system', message }),
    ),
  );
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- the worker loads CommonJS apps with require
    require(app.entry);
  } catch (thrown) {
    throw new LocalHostError('APP_LOAD_FAILED', `loading ${app.entry} failed: ${toError(thrown).message}`, 'load', false, { cause: thrown });
  }
  const model = registry.programmingModel();
  // The worker asks for capabilities once loading is done; this locks the library's setup().
  await model?.getCapabilities?.({});
  await runHooks(registry.hooksFor('appStart'), { hookData: {}, appHookData: appHookDataOf(registry), functionAppDirectory: app.appDir });
  return registry;
}
