import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { redactSecrets } from '@telemetry/core';

export interface ManagedProcessOptions {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Resolves start() once a line of output matches. */
  readyPattern: RegExp;
  readyTimeoutMs?: number;
  /** Forward the child's output to this process's stderr, prefixed with the name. */
  echo?: boolean;
}

/**
 * A child process in its own process group (npx-style wrappers spawn grandchildren), started
 * until a readiness line appears and stopped as a group: SIGTERM, then SIGKILL after a grace.
 */
export class ManagedProcess {
  private child?: ChildProcess;
  private output: string[] = [];
  private exited?: Promise<number | null>;

  constructor(private readonly options: ManagedProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** The last lines of output, for error messages. */
  tail(lines = 20): string {
    return redactSecrets(this.output.slice(-lines).join('\n'));
  }

  async start(): Promise<string> {
    // Generous: services start in seconds, but CI shares a loaded 2-core machine.
    const { command, args, env, cwd, readyPattern, readyTimeoutMs = 60_000, name, echo } = this.options;
    const spawnOptions: SpawnOptions = { env: { ...process.env, ...env }, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] };
    const child = spawn(command, args, spawnOptions);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    return new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${name} not ready after ${readyTimeoutMs} ms:\n${this.tail()}`));
      }, readyTimeoutMs);
      let ready = false;
      const onData = (chunk: Buffer): void => {
        for (const line of chunk.toString('utf8').split(/\r?\n/)) {
          if (!line) continue;
          // Ready lines carry keys (a host's master key, the emulator's connection string): only the
          // caller gets the line as is; the echo and tail(), which end up in terminals, CI logs and
          // error messages, get it redacted (tail() redacts when read: the ring is rarely read).
          this.output.push(line);
          if (this.output.length > 200) this.output.shift();
          if (echo) process.stderr.write(`[${name}] ${redactSecrets(line)}\n`);
          const match = !ready && readyPattern.exec(line);
          if (match) {
            ready = true;
            clearTimeout(timer);
            resolve(line);
          }
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.once('exit', (code) => {
        clearTimeout(timer);
        if (!ready) reject(new Error(`${name} exited with ${code} before it was ready:\n${this.tail()}`));
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Sends a signal to the whole process group. */
  signal(signal: NodeJS.Signals): void {
    const pid = this.child?.pid;
    if (!pid || this.child?.exitCode !== null) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // already gone
    }
  }

  async stop(graceMs = 5_000): Promise<void> {
    if (!this.child || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.signal('SIGTERM');
    const timer = setTimeout(() => this.signal('SIGKILL'), graceMs);
    await this.exited;
    clearTimeout(timer);
  }

  async kill(): Promise<void> {
    this.signal('SIGKILL');
    await this.exited;
  }
}
