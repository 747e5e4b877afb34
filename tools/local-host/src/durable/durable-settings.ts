import { z } from 'zod';
import type { AppSettings } from '../config/app-settings';
import type { HostJson } from '../config/host-json';
import { LocalHostError } from '../errors';
import type { DurableClockMode } from './durable-clock';

/** App setting: `real` (default) or `manual` (time moves only through the admin API). */
export const CLOCK_SETTING = 'LOCAL_DURABLE_CLOCK';
/** App setting: keep the task hub in this folder instead of Blob storage. */
export const STORE_DIR_SETTING = 'LOCAL_DURABLE_STORE_DIR';

const durableTask = z.looseObject({
  hubName: z.string().optional(),
  storageProvider: z.looseObject({ connectionStringName: z.string().optional(), connectionName: z.string().optional() }).optional(),
  maxConcurrentActivityFunctions: z.number().int().min(1).optional(),
});

export interface DurableSettings {
  readonly hubName: string;
  readonly connectionName: string;
  readonly storeDir?: string;
  readonly clock: DurableClockMode;
  readonly maxConcurrentActivities: number;
}

/** Durable options from host.json `extensions.durableTask` and app settings; parsed once, frozen. */
export function parseDurableSettings(settings: AppSettings, hostJson: Readonly<HostJson>): DurableSettings {
  const parsed = durableTask.safeParse((hostJson.extensions as Record<string, unknown>)['durableTask'] ?? {});
  if (!parsed.success) {
    throw new LocalHostError('HOST_JSON_INVALID', `host.json extensions.durableTask is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'config');
  }
  const clock = settings.get(CLOCK_SETTING) ?? 'real';
  if (clock !== 'real' && clock !== 'manual') throw new LocalHostError('SETTINGS_INVALID', `setting ${CLOCK_SETTING} must be "real" or "manual", not "${clock}"`, 'config');
  const hubName = settings.resolve(parsed.data.hubName ?? 'TestHubName', 'extensions.durableTask.hubName');
  if (!/^[A-Za-z][A-Za-z0-9]{2,44}$/.test(hubName)) throw new LocalHostError('HOST_JSON_INVALID', `task hub name "${hubName}" must be 3-45 letters/digits starting with a letter`, 'config');
  const storeDir = settings.get(STORE_DIR_SETTING);
  return Object.freeze({
    hubName,
    connectionName: parsed.data.storageProvider?.connectionStringName ?? parsed.data.storageProvider?.connectionName ?? 'AzureWebJobsStorage',
    ...(storeDir ? { storeDir } : {}),
    clock,
    maxConcurrentActivities: parsed.data.maxConcurrentActivityFunctions ?? 10,
  });
}
