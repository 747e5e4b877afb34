import { createInterface } from 'node:readline/promises';

/** Where the CLI writes and asks: the terminal in real use, buffers in tests. */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /** Asks a yes/no question; false when there is no terminal to ask. */
  confirm(question: string): Promise<boolean>;
  /** Progress bars only on an interactive terminal. */
  interactive: boolean;
  stderr: NodeJS.WritableStream;
  /** Some items failed: the process should exit non-zero (tests just record it). */
  fail(): void;
}

export function terminalIo(): CliIo {
  // `npm run dlq -- list | head -3`: the reader left; stop quietly, as Unix tools do, not with an EPIPE stack.
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    interactive: Boolean(process.stderr.isTTY),
    stderr: process.stderr,
    fail: () => void (process.exitCode = 1),
    async confirm(question) {
      if (!process.stdin.isTTY) return false;
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
      } finally {
        rl.close();
      }
    },
  };
}
