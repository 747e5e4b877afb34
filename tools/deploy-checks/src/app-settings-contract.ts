import { isSecretName } from '@telemetry/core';
import type { z } from 'zod';

/** One key of an app's settings schema. */
export interface SchemaSetting {
  name: string;
  /** Absent is valid (optional, or has a default). */
  optional: boolean;
  /** Named like a credential (isSecretName): Bicep may only set it as a Key Vault reference. */
  secret: boolean;
  /** Does the schema accept this value for the key? */
  accepts(value: string): boolean;
}

/** What an app reads, from its src/config.ts. */
export interface AppSettingsContract {
  app: string;
  schema: SchemaSetting[];
  /** Prefix-style connections (`NAME` locally, `NAME__*` identity-based in Azure). */
  connections: string[];
  /** Settings the Functions host resolves for bindings: connections or plain values. */
  bindings: string[];
}

type ObjectLike = { shape: Record<string, z.ZodType> };

/**
 * Reads an app's config module: the exported zod object whose name ends in `SettingsSchema`,
 * plus CONNECTION_SETTINGS and BINDING_SETTINGS (each optional).
 */
export function contractFromConfigModule(app: string, mod: Record<string, unknown>): AppSettingsContract {
  const schemas = Object.entries(mod).filter(([name]) => name.endsWith('SettingsSchema'));
  if (schemas.length !== 1) throw new Error(`${app}: expected exactly one *SettingsSchema export, found ${schemas.map(([n]) => n).join(', ') || 'none'}`);
  const shape = shapeOf(schemas[0]![1]);
  if (!shape) throw new Error(`${app}: ${schemas[0]![0]} is not a zod object`);
  const schema = Object.entries(shape).map(([name, field]) => ({
    name,
    optional: field.safeParse(undefined).success,
    secret: isSecretName(name),
    accepts: (value: string) => field.safeParse(value).success,
  }));
  return { app, schema, connections: stringArray(mod['CONNECTION_SETTINGS']), bindings: stringArray(mod['BINDING_SETTINGS']) };
}

function shapeOf(schema: unknown): Record<string, z.ZodType> | undefined {
  let s = schema as Partial<ObjectLike> & { def?: { in?: unknown; innerType?: unknown } };
  // Unwrap pipes/effects (preprocess, transform) down to the object.
  for (let i = 0; i < 5 && s && !s.shape; i++) s = (s.def?.in ?? s.def?.innerType) as typeof s;
  return s?.shape;
}

function stringArray(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
