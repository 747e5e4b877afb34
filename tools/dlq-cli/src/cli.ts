import { errorJson } from '@telemetry/local-services';
import { terminalIo } from './io';
import { createProgram } from './program';
import { shownBlock } from './terminal-text';
import { assertLocalStackRunning, type TargetOptions } from './target';

// Usage: npm run dlq -- <stats|list|show|redrive|purge> [options]   (npm run dlq -- --help)
// With --json, an error is one JSON line on stdout too: {"error":{"code","message"}}.
const json = process.argv.slice(2).includes('--json');
createProgram(terminalIo())
  // A stopped stack (its .local/stack.json left behind) is said in one line, before any SDK call.
  .hook('preAction', (_program, action) => assertLocalStackRunning(action.optsWithGlobals<TargetOptions>()))
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (json) process.stdout.write(`${errorJson(error)}\n`);
    // A message may quote a letter (untrusted) or a service's reply: redacted, controls escaped.
    else process.stderr.write(`dlq: ${shownBlock(error instanceof Error ? error.message : String(error))}\n`);
    process.exitCode = 1;
  });
