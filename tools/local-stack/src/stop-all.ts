/** Runs stop functions newest first (hosts before the services they use); one failing does not skip the rest. */
export async function stopAll(cleanup: (() => Promise<unknown>)[]): Promise<void> {
  for (const stop of [...cleanup].reverse()) await stop().catch(() => undefined);
  cleanup.length = 0;
}
