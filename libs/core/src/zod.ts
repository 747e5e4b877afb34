import { config, locales } from 'zod/mini';

/**
 * The product's zod, imported as `import * as z from '@telemetry/core/zod'`: Zod Mini, the
 * functional API (`z.optional(s)`, `s.check(z.minLength(1))`). Classic zod's module load cost
 * ~40 ms of CPU at every cold start; Mini's a few (issue 17).
 *
 * Mini wires in no messages (every issue would read "Invalid input"), while config errors, coded
 * errors and HTTP 400 bodies show zod's English ones, so this module configures English, and
 * product code takes zod from here alone: whatever builds a schema has run this first
 * (tools/deploy-checks/src/bundle-exclusions.spec.ts checks the imports). It is an entry point of
 * its own, not part of the barrel: a namespace re-exported from a barrel defeats tree-shaking, and
 * the bundler keeps this module's one side effect (tools/build/bundle-app.mjs).
 */
config(locales.en());

export * from 'zod/mini';
