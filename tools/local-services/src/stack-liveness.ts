import { redactSecrets } from '@telemetry/core';
import { connect } from 'node:net';

/** The one line a CLI prints when `.local/stack.json` names a stack that has stopped. */
export const STACK_NOT_RUNNING = 'STACK_NOT_RUNNING';

/** A coded error: the stack descriptor is left from a stack that is no longer running. */
export class StackNotRunningError extends Error {
  readonly code = STACK_NOT_RUNNING;
  constructor(readonly descriptorFile: string, readonly endpoint: string) {
    super(`no local stack is running (${descriptorFile} is left from a stopped one: nothing answers at ${endpoint}); start one with \`npm run dev\``);
    this.name = 'StackNotRunningError';
  }
}

/** `host:port` of every loopback endpoint a connection string or URL names. */
export function loopbackEndpoints(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(/(?:https?|sb|amqps?):\/\/(127\.0\.0\.1|localhost):(\d+)/gi)) found.add(`${m[1]}:${m[2]}`);
  return [...found];
}

/**
 * 'refused' when nothing listens (a stopped stack), 'open' when something accepts, 'unknown' when
 * there was no answer within the bound (a busy machine: not taken as stopped).
 */
export function probeTcp(endpoint: string, timeoutMs = 3000): Promise<'open' | 'refused' | 'unknown'> {
  const [host, port] = endpoint.split(/:(?=\d+$)/) as [string, string];
  return new Promise((resolve) => {
    const socket = connect({ host, port: Number(port) });
    const done = (result: 'open' | 'refused' | 'unknown'): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done('unknown'));
    socket.once('connect', () => done('open'));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code === 'ECONNREFUSED' ? 'refused' : 'unknown'));
  });
}

/**
 * Fails fast with StackNotRunningError when a loopback endpoint the descriptor names (the
 * connection strings and URLs a CLI is about to use) refuses connections. Endpoints elsewhere
 * (Azure) are not probed.
 */
export async function assertStackRunning(descriptorFile: string, connectionStrings: (string | undefined)[]): Promise<void> {
  const endpoints = [...new Set(connectionStrings.flatMap((s) => (s ? loopbackEndpoints(s) : [])))];
  const results = await Promise.all(endpoints.map(async (e) => [e, await probeTcp(e)] as const));
  const refused = results.find(([, r]) => r === 'refused');
  if (refused) throw new StackNotRunningError(descriptorFile, refused[0]);
}

/**
 * A CLI's error as one JSON line (for `--json`): `{"error":{"code","message"}}`. The message is
 * redacted: SDK errors quote the connection strings and URLs they were given.
 */
export function errorJson(error: unknown): string {
  const code = typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'string' ? (error as { code: string }).code : 'CLI_ERROR';
  return JSON.stringify({ error: { code, message: redactSecrets(error instanceof Error ? error.message : String(error)) } });
}
