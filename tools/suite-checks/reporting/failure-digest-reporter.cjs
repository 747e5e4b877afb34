// Jest reporter: writes what failed (file, test, the first lines of each message) to
// tmp/test-failures/<project>.txt, so `npm test` can print every failure again after the last
// task: nx prints each task's output as it ends, and a failure of an early task is otherwise
// scrolled away by the tasks that end after it (CI keeps the end of the output).
const fs = require('node:fs');
const path = require('node:path');

const WORKSPACE_ROOT = path.join(__dirname, '..', '..', '..');
const DIGEST_DIR = path.join(WORKSPACE_ROOT, 'tmp', 'test-failures');
const MESSAGE_LINES = 40;
// eslint-disable-next-line no-control-regex
const stripAnsi = (text) => text.replace(/\u001b\[[0-9;]*m/g, '');

class FailureDigestReporter {
  constructor(globalConfig, options = {}) {
    this.rootDir = globalConfig.rootDir;
    this.name = options.name;
    this.dir = options.dir ?? DIGEST_DIR;
  }

  onRunComplete(contexts, results) {
    const project = this.name ?? [...contexts].map((c) => c.config.displayName?.name ?? c.config.displayName).find(Boolean) ?? path.basename(this.rootDir);
    const lines = [];
    for (const file of results.testResults) {
      const relative = path.relative(WORKSPACE_ROOT, file.testFilePath);
      if (file.testExecError) lines.push(`FAIL ${relative} (suite failed to run)`, ...indent(file.testExecError.message ?? String(file.testExecError)));
      for (const test of file.testResults) {
        if (test.status !== 'failed') continue;
        lines.push(`FAIL ${relative} > ${[...test.ancestorTitles, test.title].join(' > ')} (${test.duration ?? '?'} ms)`);
        for (const message of test.failureMessages) lines.push(...indent(message));
      }
    }
    if (results.numRuntimeErrorTestSuites > 0 && lines.length === 0) lines.push(`${results.numRuntimeErrorTestSuites} suite(s) failed to run`);
    if (lines.length === 0) return;
    fs.mkdirSync(this.dir, { recursive: true });
    fs.writeFileSync(path.join(this.dir, `${String(project).replace(/[^\w.-]/g, '_')}.txt`), `${lines.join('\n')}\n`);
  }
}

function indent(message) {
  // Stack frames inside node_modules or Node itself say nothing about the failure.
  const lines = stripAnsi(String(message)).split('\n').filter((line) => !/^\s+at .*(node_modules|node:internal|<anonymous>)/.test(line));
  const kept = lines.slice(0, MESSAGE_LINES).map((line) => `    ${line}`);
  if (lines.length > MESSAGE_LINES) kept.push(`    ... (${lines.length - MESSAGE_LINES} more lines)`);
  return kept;
}

module.exports = FailureDigestReporter;
module.exports.DIGEST_DIR = DIGEST_DIR;
