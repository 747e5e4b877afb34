import { CommanderError } from 'commander';
import { CliRefusal, createProgram } from './program';

// Usage: npm run checkpoints -- <status|rewind> [options]   (npm run checkpoints -- --help)
createProgram({ out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), env: process.env })
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    if (error instanceof CommanderError) { process.exitCode = error.exitCode; return; }
    process.stderr.write(`checkpoints: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = error instanceof CliRefusal ? 2 : 1;
  });
