import * as z from '@telemetry/core/zod';

/**
 * The settings this lib reads. Apps extend their own settings schema with it
 * (`z.object({ ...mine, ...observabilitySettingsSchema.shape })`), so the infra drift check sees them.
 * In Azure the two APPLICATIONINSIGHTS_* settings come from the shared base app settings
 * (infra/modules/function-app.bicep); locally they are absent and metrics stay in memory.
 */
export const observabilitySettingsSchema = z.object({
  /**
   * Application Insights connection string (not a secret: ingestion needs Entra ID, see below). Its
   * InstrumentationKey is checked here, as the exporter would, because the exporter is built on
   * its first export (azure-monitor.ts), not at start.
   */
  APPLICATIONINSIGHTS_CONNECTION_STRING: z.optional(
    z.string().check(
      z.minLength(1),
      z.refine((s) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(connectionStringPart(s, 'instrumentationkey') ?? ''), {
        message: 'must hold InstrumentationKey=<GUID, lower case> (the connection string the Azure portal shows)',
      }),
    ),
  ),
  /** `Authorization=AAD;ClientId=<uami client id>`: the identity metrics are sent with. */
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: z.optional(z.string().check(z.minLength(1))),
});

export type ObservabilitySettings = z.output<typeof observabilitySettingsSchema>;

/** `Key=value;...` as Application Insights writes its strings: keys case-insensitive (lower-cased here), values trimmed. */
function connectionStringParts(text: string): Map<string, string> {
  const parts = new Map<string, string>();
  for (const part of text.split(';')) {
    const at = part.indexOf('=');
    if (at > 0) parts.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return parts;
}

function connectionStringPart(text: string, key: string): string | undefined {
  return connectionStringParts(text).get(key);
}

/**
 * Parses an `Authorization=AAD[;ClientId=<id>]` authentication string: undefined when it does not
 * ask for Entra ID, else the user-assigned identity's client id (absent: system-assigned).
 */
export function aadAuthentication(authenticationString: string | undefined): { clientId?: string } | undefined {
  if (!authenticationString) return undefined;
  const parts = connectionStringParts(authenticationString);
  if (parts.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = parts.get('clientid');
  return clientId ? { clientId } : {};
}
