#!/usr/bin/env node
// `node failure-digest.cjs clear` empties tmp/test-failures before a run;
// `node failure-digest.cjs print` prints what the failure digest reporter wrote, last.
const fs = require('node:fs');
const path = require('node:path');
const { DIGEST_DIR } = require('./failure-digest-reporter.cjs');

const command = process.argv[2];
if (command === 'clear') {
  fs.rmSync(DIGEST_DIR, { recursive: true, force: true });
} else if (command === 'print') {
  const files = fs.existsSync(DIGEST_DIR) ? fs.readdirSync(DIGEST_DIR).filter((f) => f.endsWith('.txt')).sort() : [];
  if (files.length === 0) {
    console.error('\nNo test failed (the failed task is a lint, typecheck or build: its output is above).');
  } else {
    console.error(`\n==== Failed tests, again (${files.map((f) => f.replace(/\.txt$/, '')).join(', ')}) ====`);
    for (const file of files) console.error(`\n--- ${file.replace(/\.txt$/, '')}\n${fs.readFileSync(path.join(DIGEST_DIR, file), 'utf8')}`);
  }
} else {
  console.error('usage: failure-digest.cjs clear|print');
  process.exit(2);
}
