import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nx from '@nx/eslint-plugin';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const root = path.dirname(fileURLToPath(import.meta.url));

// Ports and adapters: a domain lib declares the ports it uses and imports no adapter; adapters
// (type:data, one home per Azure service) implement those ports; apps wire the two together.
const layers = {
  'type:app': ['type:domain', 'type:data', 'type:model', 'type:util'],
  'type:data': ['type:data', 'type:domain', 'type:model', 'type:util'],
  'type:domain': ['type:domain', 'type:model', 'type:util'],
  'type:model': ['type:model', 'type:util'],
  'type:util': ['type:util'],
  'type:tool': ['type:tool', 'type:app', 'type:domain', 'type:data', 'type:model', 'type:util'],
};
// scope:adapters holds the Azure adapters, grouped by service rather than by app: each serves
// whichever scopes use that service, so it may implement any scope's ports.
const scopes = {
  'scope:ingestion': ['scope:ingestion', 'scope:shared', 'scope:adapters'],
  'scope:breaker': ['scope:breaker', 'scope:shared', 'scope:adapters'],
  'scope:reprocessor': ['scope:reprocessor', 'scope:shared', 'scope:adapters'],
  'scope:status': ['scope:status', 'scope:shared', 'scope:adapters'],
  'scope:shared': ['scope:shared'],
  'scope:adapters': ['scope:adapters', 'scope:shared', 'scope:ingestion', 'scope:breaker', 'scope:reprocessor', 'scope:status'],
};

/** Layer and scope constraints; tests may also use the local tools (service starters, emulator). */
function boundaries(forTests) {
  const extra = forTests ? { layer: ['type:tool'], scope: ['scope:tools'] } : { layer: [], scope: [] };
  return {
    enforceBuildableLibDependency: false,
    allow: [],
    ignoredCircularDependencies: runnerCycles(),
    depConstraints: [
      ...Object.entries(layers).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: [...tags, ...extra.layer] })),
      ...Object.entries(scopes).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: [...tags, ...extra.scope] })),
    ],
  };
}

/**
 * A project that builds or starts function apps declares them as implicitDependencies (nx affected
 * marks its tests when they change; tools/deploy-checks/src/app-runners.spec.ts); an app's e2e spec
 * in turn imports the stack that runs it. Those declared edges are not import cycles.
 */
function runnerCycles() {
  const projects = ['apps', 'libs', 'tools'].flatMap((top) =>
    readdirSync(path.join(root, top)).flatMap((dir) => {
      try {
        const p = JSON.parse(readFileSync(path.join(root, top, dir, 'project.json'), 'utf8'));
        return [{ name: p.name ?? dir, tags: p.tags ?? [], deps: p.implicitDependencies ?? [] }];
      } catch {
        return [];
      }
    }),
  );
  return projects.flatMap((p) =>
    p.deps.flatMap((d) => (d.startsWith('tag:') ? projects.filter((q) => q.tags.includes(d.slice(4))).map((q) => q.name) : [d])).filter((d) => d !== p.name).map((d) => [p.name, d]),
  );
}

/** Every lib with its tags and its import aliases (tsconfig paths), read from the workspace. */
function libs() {
  const { paths } = JSON.parse(readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8')).compilerOptions;
  return readdirSync(path.join(root, 'libs')).flatMap((dir) => {
    let project;
    try {
      project = JSON.parse(readFileSync(path.join(root, 'libs', dir, 'project.json'), 'utf8'));
    } catch {
      return [];
    }
    const aliases = Object.entries(paths).filter(([, [target]]) => target.replace(/^\.\//, '').startsWith(`libs/${dir}/`)).map(([alias]) => alias);
    return [{ dir: `libs/${dir}`, tags: project.tags ?? [], aliases }];
  });
}

/**
 * Rules (type:domain) and models (type:model) import no Azure SDK and no adapter lib: they declare
 * the ports they use, adapters (type:data) implement them, apps wire the two. The nx layer
 * constraints say the same for workspace libs; this also covers `@azure/*` packages.
 */
function noAdaptersInRules() {
  const all = libs();
  const adapterAliases = all.filter((l) => l.tags.includes('type:data')).flatMap((l) => l.aliases);
  const rules = all.filter((l) => l.tags.includes('type:domain') || l.tags.includes('type:model'));
  return {
    files: rules.map((l) => `${l.dir}/**/*.ts`),
    // Tests may set up real services with the SDKs (Azurite, the Cosmos server).
    ignores: ['**/*.spec.ts', '**/testing/**'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['@azure/*'], message: 'domain and model libs import no Azure SDK: declare a port here and implement it in an adapter lib (type:data).' }],
        paths: adapterAliases.map((name) => ({ name, message: 'domain and model libs import no adapter lib: depend on the port, let the app wire the adapter.' })),
      }],
    },
  };
}

export default [
  { ignores: ['**/dist', '**/node_modules', '**/tmp', '**/.local', '**/*.cjs', '**/*.mjs', '**/coverage', '**/web/static/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(false)],
    },
  },
  // No import cycles, inside a project or across projects (resolved through tsconfig paths).
  {
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      ...importX.flatConfigs.typescript.settings,
      'import-x/resolver': undefined,
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: path.join(root, 'tsconfig.base.json') })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  noAdaptersInRules(),
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
    },
  },
];
