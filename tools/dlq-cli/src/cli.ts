import { terminalIo } from './io';
import { createProgram } from './program';

// Usage: npm run dlq -- <stats|list|show|redrive|purge> [options]   (npm run dlq -- --help)
createProgram(terminalIo())
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`dlq: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
