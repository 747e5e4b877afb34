/** App settings of this form override host.json values (`AzureFunctionsJobHost__path__to__setting`). */
export const HOST_JSON_OVERRIDE_PREFIX = 'AzureFunctionsJobHost__';

type Json = Record<string, unknown>;

/** A setting's text as configuration binding reads it into a host.json option (int, bool, or text). */
function typed(value: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (/^(true|false)$/i.test(value.trim())) return value.trim().toLowerCase() === 'true';
  return value;
}

/**
 * host.json with the app settings that override it applied, as the Functions host does
 * (https://learn.microsoft.com/azure/azure-functions/functions-host-json#override-hostjson-values):
 * a setting `AzureFunctionsJobHost__extensions__eventHubs__maxWaitTime` replaces
 * `extensions.eventHubs.maxWaitTime`. Configuration keys are case-insensitive, so a segment names
 * an existing key whatever its case; values arrive as text and bind to the option's type.
 */
export function applyHostJsonOverrides(hostJson: unknown, settings: Record<string, string | undefined>): unknown {
  const root: Json = structuredClone((hostJson ?? {}) as Json);
  for (const [name, value] of Object.entries(settings)) {
    if (value === undefined || name.length <= HOST_JSON_OVERRIDE_PREFIX.length) continue;
    if (name.slice(0, HOST_JSON_OVERRIDE_PREFIX.length).toLowerCase() !== HOST_JSON_OVERRIDE_PREFIX.toLowerCase()) continue;
    const segments = name.slice(HOST_JSON_OVERRIDE_PREFIX.length).split('__').filter(Boolean);
    let node = root;
    segments.forEach((segment, i) => {
      const key = Object.keys(node).find((k) => k.toLowerCase() === segment.toLowerCase()) ?? segment;
      if (i === segments.length - 1) {
        node[key] = typed(value);
        return;
      }
      const next = node[key];
      node = (node[key] = next !== null && typeof next === 'object' && !Array.isArray(next) ? next : {}) as Json;
    });
  }
  return root;
}
