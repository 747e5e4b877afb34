import * as z from './zod';

/**
 * The one configuration error of the workspace (apps and tools): the settings or options that are
 * missing or malformed, each named, never with its value. A list of problems reads
 * `invalid configuration: a; b`; a single prepared message is kept as it is.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  readonly problems: readonly string[];
  constructor(problems: readonly string[] | string) {
    super(typeof problems === 'string' ? problems : `invalid configuration: ${problems.join('; ')}`);
    this.problems = typeof problems === 'string' ? [problems] : [...problems];
  }
}

/**
 * Parses settings (normally process.env) once, at start, into a frozen typed object.
 * A missing or malformed setting fails fast, naming every bad key (never its value: it may be a secret).
 */
export function parseConfig<S extends z.core.$ZodType>(schema: S, env: Record<string, string | undefined>): Readonly<z.output<S>> {
  const result = z.safeParse(schema, env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  return Object.freeze(result.data) as Readonly<z.output<S>>;
}
