/** The key shown in connection strings when no SAS key is configured (any key is accepted then). */
export const DEFAULT_KEY_NAME = 'RootManageSharedAccessKey';
export const DEFAULT_KEY = 'SAS_KEY_VALUE';

/** A connection string the real SDK accepts: plain TCP to the emulator because of UseDevelopmentEmulator. */
export function emulatorConnectionString(port: number, hub: string | undefined, sas?: { keyName: string; key: string }): string {
  const keyName = sas?.keyName ?? DEFAULT_KEY_NAME;
  const key = sas?.key ?? DEFAULT_KEY;
  const entity = hub === undefined ? '' : `EntityPath=${hub};`;
  return `Endpoint=sb://127.0.0.1:${port};SharedAccessKeyName=${keyName};SharedAccessKey=${key};${entity}UseDevelopmentEmulator=true`;
}
