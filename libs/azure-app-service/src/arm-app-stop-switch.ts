import { toPipelineError } from '@telemetry/core';
import type { ArmTarget, WebAppsApi } from './arm-web-apps';
import type { IngestionSwitch } from '@telemetry/breaker-rules';

/**
 * Stops and starts the whole ingestion app (`POST .../sites/{name}/stop|start`). Only valid when
 * the breaker runs in another app: stopping the app that hosts the breaker stops the breaker too
 * (the config refuses that combination).
 */
export class ArmAppStopSwitch implements IngestionSwitch {
  readonly description: string;

  constructor(
    private readonly webApps: WebAppsApi,
    private readonly target: ArmTarget,
  ) {
    this.description = `arm-app: ${target.resourceGroup}/${target.appName}`;
  }

  async pause(): Promise<void> {
    try {
      await this.webApps.stop(this.target.resourceGroup, this.target.appName);
    } catch (error) {
      throw toPipelineError(error, 'unknown');
    }
  }

  async resume(): Promise<void> {
    try {
      await this.webApps.start(this.target.resourceGroup, this.target.appName);
    } catch (error) {
      throw toPipelineError(error, 'unknown');
    }
  }
}
