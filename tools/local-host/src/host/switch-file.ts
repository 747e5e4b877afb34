import { readFileSync, renameSync, writeFileSync } from 'node:fs';

/**
 * Setting: a file every host of a local stack shares, listing the functions the ingestion switch
 * (`POST /admin/functions/{name}/pause`) has paused. In Azure the breaker's switch writes
 * `AzureWebJobs_<function>_Disabled` into the app's settings, so the pause holds for every instance
 * and outlives a restart; a pause held in one host's memory did neither (a second host, or the same
 * host restarted, kept ingesting while the breaker said paused).
 */
export const SWITCH_FILE_SETTING = 'LOCAL_HOST_SWITCH_FILE';

/** Function names (lower case) the file lists as paused; none when it is missing or unreadable. */
export function readSwitchedOff(file: string): Set<string> {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as { paused?: unknown };
    return new Set(Array.isArray(parsed.paused) ? parsed.paused.filter((n): n is string => typeof n === 'string').map((n) => n.toLowerCase()) : []);
  } catch {
    return new Set();
  }
}

/** Records `name` as paused or not (atomic replace, owner-only). */
export function recordSwitch(file: string, name: string, paused: boolean): void {
  const names = readSwitchedOff(file);
  if (paused) names.add(name.toLowerCase());
  else names.delete(name.toLowerCase());
  const temp = `${file}.${process.pid}.tmp`;
  writeFileSync(temp, `${JSON.stringify({ paused: [...names].sort() })}\n`, { mode: 0o600 });
  renameSync(temp, file);
}
