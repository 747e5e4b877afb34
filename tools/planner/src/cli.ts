import { createProgram } from './program';

// Usage: npm run plan -- --events-per-second N --devices D --event-bytes B [--window S] [--json]
createProgram({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`plan: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
