import { toPipelineError } from '@telemetry/core';
import type { ArmTarget, WebAppsApi } from './arm-web-apps';
import type { IngestionSwitch } from '@telemetry/breaker-rules';

/**
 * `AzureWebJobs.<fn>.Disabled` is the documented form; Linux plans (Flex Consumption included)
 * cannot have dots in environment names and need `AzureWebJobs_<fn>_Disabled`.
 */
export type DisableSettingForm = 'dot' | 'underscore';

export function disableSettingNames(functionName: string, forms: readonly DisableSettingForm[]): string[] {
  return forms.map((form) => (form === 'dot' ? `AzureWebJobs.${functionName}.Disabled` : `AzureWebJobs_${functionName}_Disabled`));
}

export interface ArmFunctionDisableSwitchOptions extends ArmTarget {
  functionNames: readonly string[];
  forms?: readonly DisableSettingForm[];
}

/**
 * Disables the ingestion function(s) through app settings. `PUT config/appsettings` replaces the
 * whole dictionary, so every change is read (`POST config/appsettings/list`), modified and written
 * back with every other setting intact. ARM has no ETag on app settings: a concurrent edit by
 * someone else between read and write can be lost, so the write is skipped when nothing changes.
 * Changing a setting restarts the ingestion app; its Event Hubs trigger resumes from checkpoints.
 */
export class ArmFunctionDisableSwitch implements IngestionSwitch {
  readonly description: string;
  private readonly names: string[];

  constructor(
    private readonly webApps: WebAppsApi,
    private readonly options: ArmFunctionDisableSwitchOptions,
  ) {
    this.names = options.functionNames.flatMap((fn) => disableSettingNames(fn, options.forms ?? ['dot', 'underscore']));
    this.description = `arm-function: ${options.resourceGroup}/${options.appName} [${options.functionNames.join(', ')}]`;
  }

  pause(): Promise<void> {
    return this.edit((settings) => {
      for (const name of this.names) settings[name] = 'true';
    });
  }

  resume(): Promise<void> {
    return this.edit((settings) => {
      for (const name of this.names) delete settings[name];
    });
  }

  private async edit(change: (settings: Record<string, string>) => void): Promise<void> {
    const { resourceGroup, appName } = this.options;
    try {
      const current = await this.webApps.listApplicationSettings(resourceGroup, appName);
      const before = { ...(current.properties ?? {}) };
      const after = { ...before };
      change(after);
      if (sameSettings(before, after)) return;
      await this.webApps.updateApplicationSettings(resourceGroup, appName, { properties: after });
    } catch (error) {
      throw toPipelineError(error, 'unknown');
    }
  }
}

function sameSettings(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}
