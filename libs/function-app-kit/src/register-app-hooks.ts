import { app } from '@azure/functions';
import type { AppServices } from './app-services';

/**
 * Builds the app's services when the host starts (`app.hook.appStart`), so a missing or malformed
 * setting fails the start at once, naming every bad key, instead of the first invocation (which
 * for an Event Hubs trigger would retry that batch for ever); and stops them when it shuts down.
 */
export function registerAppHooks(services: AppServices<unknown>): void {
  app.hook.appStart(() => {
    services.start();
  });
  app.hook.appTerminate(() => services.stop());
}
