import { spawnHost } from '@telemetry/local-host';

/**
 * Starts an app's entry (e.g. `apps/<app>/src/main.ts`) under the local host, which runs its
 * `app.hook.appStart` hooks as the Functions worker does, and returns why the host failed to start.
 * Throws when the host started: the settings were accepted.
 */
export async function hostStartFailure(appEntry: string, settings: Record<string, string>): Promise<string> {
  let host;
  try {
    host = await spawnHost({ app: appEntry, settings, readyTimeoutMs: 180_000 });
  } catch (error) {
    return (error as Error).message;
  }
  await host.stop();
  throw new Error(`${appEntry} started with settings that should have failed it`);
}
