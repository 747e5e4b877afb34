// Shared Jest settings: swc transpiles TypeScript (no type-check; `typecheck` does that),
// and workspace path aliases resolve from tsconfig.base.json so tests import libs as apps do.
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const root = __dirname;
const moduleNameMapper = {};
for (const [alias, [target]] of Object.entries(compilerOptions.paths)) {
  moduleNameMapper[`^${alias.replace(/[/]/g, '\\/')}$`] = path.join(root, target);
}

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j)s$': [
      '@swc/jest',
      { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } },
    ],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
  testMatch: ['**/*.spec.ts'],
  // Integration tests start real services on free ports; keep files isolated and bounded. The bound
  // is generous: CI runs on a shared, loaded 2-core machine (several jest workers and stacks at once).
  testTimeout: 180_000,
  maxWorkers: 2,
  // Failures are also written to tmp/test-failures for `npm test` to print again at its end.
  reporters: ['default', path.join(root, 'tools/suite-checks/reporting/failure-digest-reporter.cjs')],
};
