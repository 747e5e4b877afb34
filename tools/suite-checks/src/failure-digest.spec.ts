import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const FailureDigestReporter = require('../reporting/failure-digest-reporter.cjs') as new (
  globalConfig: { rootDir: string },
  options: { dir: string; name?: string },
) => { onRunComplete(contexts: Set<unknown>, results: unknown): void };

const root = path.join(__dirname, '..', '..', '..');
const result = (tests: { title: string; status: string; failureMessages?: string[] }[], extra: object = {}) => ({
  testFilePath: path.join(root, 'tools/local-host/src/conformance.spec.ts'),
  testResults: tests.map((t) => ({ ancestorTitles: ['conformance'], duration: 12, failureMessages: [], ...t })),
  ...extra,
});

describe('failure digest reporter', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), 'digest-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each failed test with its message (colours stripped, long messages cut) under the project name', () => {
    const long = ['\u001b[31mexpect(received).toEqual(expected)\u001b[39m', ...Array.from({ length: 60 }, (_, i) => `line ${i}`)].join('\n');
    new FailureDigestReporter({ rootDir: root }, { dir, name: 'local-host' }).onRunComplete(new Set(), {
      numRuntimeErrorTestSuites: 0,
      testResults: [result([{ title: 'passes', status: 'passed' }, { title: 'min batch', status: 'failed', failureMessages: [long] }])],
    });
    expect(readdirSync(dir)).toEqual(['local-host.txt']);
    const text = readFileSync(path.join(dir, 'local-host.txt'), 'utf8');
    expect(text).toContain('FAIL tools/local-host/src/conformance.spec.ts > conformance > min batch (12 ms)');
    expect(text).toContain('    expect(received).toEqual(expected)');
    expect(text).not.toContain('\u001b[');
    expect(text).not.toContain('passes');
    expect(text).toContain('line 38');
    expect(text).not.toContain('line 39\n');
    expect(text).toContain('(21 more lines)');
  });

  it('a suite that failed to run is named with its error', () => {
    new FailureDigestReporter({ rootDir: root }, { dir, name: 'p' }).onRunComplete(new Set(), {
      numRuntimeErrorTestSuites: 1,
      testResults: [result([], { testExecError: { message: 'Cannot find module x' } })],
    });
    expect(readFileSync(path.join(dir, 'p.txt'), 'utf8')).toContain('(suite failed to run)\n    Cannot find module x');
  });

  it('writes nothing when everything passed', () => {
    new FailureDigestReporter({ rootDir: root }, { dir, name: 'p' }).onRunComplete(new Set(), {
      numRuntimeErrorTestSuites: 0,
      testResults: [result([{ title: 'passes', status: 'passed' }])],
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});
