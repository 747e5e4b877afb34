import type { BicepAppSettings, BicepSetting } from './bicep-app-settings';
import type { AppSettingsContract } from './app-settings-contract';

/** Set on every app by infra/modules/function-app.bicep and read by the Functions host, not app code. */
export const PLATFORM_SETTINGS = ['APPLICATIONINSIGHTS_CONNECTION_STRING', 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING'] as const;
const PLATFORM_CONNECTIONS = ['AzureWebJobsStorage'];

/** Suffixes of identity-based connections (Azure Functions "identity-based connections"). */
export const CONNECTION_ENDPOINT_SUFFIXES = ['fullyQualifiedNamespace', 'accountName', 'blobServiceUri', 'queueServiceUri', 'tableServiceUri', 'serviceUri', 'accountEndpoint'] as const;
const CONNECTION_SUFFIXES = new Set<string>([...CONNECTION_ENDPOINT_SUFFIXES, 'credential', 'clientId']);

/** Values that are keys or key-bearing connection strings: never in app settings. */
const KEY_MATERIAL = /AccountKey=|SharedAccessKey=|SharedAccessSignature|DefaultEndpointsProtocol=|listKeys\(|listConnectionStrings\(|primaryKey|primaryMasterKey/i;
const KEY_VAULT_REFERENCE = /^'@Microsoft\.KeyVault\(SecretUri=[^']+\)'$/;

/**
 * Compares what an app reads (its settings contract) with what Bicep sets for it (the base set
 * of function-app.bicep + the app's own set). Returns every problem; empty means no drift.
 */
export function settingsDrift(contract: AppSettingsContract, base: BicepAppSettings, own: BicepAppSettings): string[] {
  const problems: string[] = [];
  const app = contract.app;
  const all = new Map<string, BicepSetting>([...base.settings, ...own.settings]);
  for (const [name] of own.settings) if (base.settings.has(name)) problems.push(`${app}: ${name} is set by both the base set and the app module`);

  const schemaNames = new Set(contract.schema.map((s) => s.name));
  const connectionLike = (name: string) => [...all.keys()].some((k) => k.startsWith(`${name}__`));
  const connections = new Set([...contract.connections, ...contract.bindings.filter((b) => connectionLike(b) || PLATFORM_CONNECTIONS.includes(b))]);
  const plainBindings = new Set(contract.bindings.filter((b) => !connections.has(b)));

  // The app reads it: Bicep sets it (or declares it not set, with a reason).
  for (const s of contract.schema) {
    const set = all.get(s.name);
    if (own.notSet.has(s.name)) {
      if (set) problems.push(`${app}: ${s.name} is declared "not set in Azure" but Bicep sets it (line ${set.line})`);
      continue;
    }
    if (!set) {
      if (!connections.has(s.name) && !plainBindings.has(s.name)) problems.push(`${app}: reads ${s.name} but its Bicep module does not set it`);
      continue;
    }
    if (s.secret && !KEY_VAULT_REFERENCE.test(set.expression)) problems.push(`${app}: ${s.name} is a secret; set it as a Key Vault reference, not a value`);
    if (set.literal !== undefined && !s.accepts(set.literal)) problems.push(`${app}: ${s.name}='${set.literal}' is rejected by the app's schema`);
  }
  for (const b of plainBindings) {
    if (!all.has(b) && !schemaNames.has(b)) problems.push(`${app}: binding setting ${b} is not set`);
  }
  for (const [name, reason] of own.notSet) {
    if (!schemaNames.has(name)) problems.push(`${app}: "not set in Azure: ${name} (${reason})" names a setting the app no longer reads`);
  }

  // Connections: identity-based only.
  for (const c of connections) {
    if (all.has(c)) problems.push(`${app}: ${c} is set as a connection string; use ${c}__<endpoint> + __credential (identity-based)`);
    const keys = [...all.keys()].filter((k) => k.startsWith(`${c}__`));
    const suffixes = keys.map((k) => k.slice(c.length + 2));
    if (all.get(`${c}__credential`)?.literal?.toLowerCase() !== 'managedidentity') problems.push(`${app}: ${c}__credential must be 'managedidentity'`);
    if (!suffixes.includes('clientId')) problems.push(`${app}: ${c}__clientId is missing (user-assigned identity)`);
    if (!suffixes.some((x) => (CONNECTION_ENDPOINT_SUFFIXES as readonly string[]).includes(x))) problems.push(`${app}: ${c} has no endpoint setting (${CONNECTION_ENDPOINT_SUFFIXES.join(', ')})`);
    for (const x of suffixes) if (!CONNECTION_SUFFIXES.has(x)) problems.push(`${app}: ${c}__${x} is not an identity-based connection setting`);
  }

  // Bicep sets it: the app (or, for the base set, the host) reads it.
  const readByApp = (name: string): boolean => {
    if (schemaNames.has(name) || plainBindings.has(name)) return true;
    const at = name.indexOf('__');
    return at > 0 && connections.has(name.slice(0, at));
  };
  for (const [name, s] of own.settings) {
    if (!readByApp(name)) problems.push(`${app}: Bicep sets ${name} (line ${s.line}) but the app no longer reads it`);
  }
  for (const [name, s] of base.settings) {
    const platform = (PLATFORM_SETTINGS as readonly string[]).includes(name) || PLATFORM_CONNECTIONS.some((c) => name.startsWith(`${c}__`));
    if (!platform && !readByApp(name)) problems.push(`${app}: the base settings set ${name} (line ${s.line}) but this app does not read it`);
  }

  for (const [name, s] of all) {
    if (KEY_MATERIAL.test(s.expression)) problems.push(`${app}: ${name} carries key material (${s.expression}); use an identity or a Key Vault reference`);
  }
  return problems;
}
