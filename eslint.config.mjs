import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

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
    depConstraints: [
      ...Object.entries(layers).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: [...tags, ...extra.layer] })),
      ...Object.entries(scopes).map(([sourceTag, tags]) => ({ sourceTag, onlyDependOnLibsWithTags: [...tags, ...extra.scope] })),
    ],
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
  {
    files: ['**/*.spec.ts', '**/testing/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@nx/enforce-module-boundaries': ['error', boundaries(true)],
    },
  },
];
