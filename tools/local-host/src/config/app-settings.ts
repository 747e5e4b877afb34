import { LocalHostError } from '../errors';

/** App settings (`local.settings.json` Values); in Azure these are the app's environment. */
export class AppSettings {
  private readonly values: Readonly<Record<string, string>>;

  constructor(values: Record<string, string | undefined>) {
    const clean: Record<string, string> = {};
    for (const [k, v] of Object.entries(values)) if (v !== undefined) clean[k] = v;
    this.values = Object.freeze(clean);
  }

  get(name: string): string | undefined {
    return this.values[name];
  }

  /** A setting that must exist, e.g. the one a binding's `connection` names. */
  require(name: string, usedBy: string): string {
    const value = this.values[name];
    if (value === undefined || value === '') {
      throw new LocalHostError('SETTING_MISSING', `setting "${name}" (used by ${usedBy}) is not set`, 'config');
    }
    return value;
  }

  /**
   * Resolves `%NAME%` placeholders as the host's name resolver does for binding properties
   * (eventHubName, queueName, schedule, consumerGroup, route, ...).
   */
  resolve(text: string, usedBy: string): string {
    return text.replace(/%([^%]+)%/g, (_m, name: string) => this.require(name, usedBy));
  }

  /** `AzureWebJobs.<fn>.Disabled` or `AzureWebJobs_<fn>_Disabled` set to "1"/"true". */
  isDisabled(functionName: string): boolean {
    const value = this.get(`AzureWebJobs.${functionName}.Disabled`) ?? this.get(`AzureWebJobs_${functionName}_Disabled`);
    return value !== undefined && /^(1|true)$/i.test(value.trim());
  }

  entries(): [string, string][] {
    return Object.entries(this.values);
  }
}
