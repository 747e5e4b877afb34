import { existsSync, readFileSync } from 'node:fs';
import { loopbackEndpoints, probeTcp } from '@telemetry/local-services';

/** The code a start refuses with when the descriptor it would write names a stack that still runs. */
export const STACK_ALREADY_RUNNING = 'STACK_ALREADY_RUNNING';

export class StackAlreadyRunningError extends Error {
  readonly code = STACK_ALREADY_RUNNING;
  constructor(readonly descriptorFile: string, startedAt: string | undefined, answering: string[], dataDir: string | undefined) {
    super(
      `a local stack is already running (${descriptorFile}${startedAt ? `, started ${startedAt}` : ''}; answering at ${answering.join(', ')}): ` +
        'starting another would replace its descriptor, and every CLI would lose the running one. Stop it first (Ctrl-C in its terminal' +
        `${dataDir ? `; if that terminal is gone: pkill -f ${JSON.stringify(dataDir)}` : ''}), or give this one its own --stack-file.`,
    );
    this.name = 'StackAlreadyRunningError';
  }
}

/**
 * Refuses to start a stack over the descriptor of one that still runs. The stack is taken as live
 * when most loopback endpoints its descriptor names still accept connections: a stopped stack's
 * all refuse, and one stray listener on a reused port does not make a stale file live, while one
 * crashed app host or a slow probe does not make a live stack look stopped. A missing or
 * unreadable descriptor is no stack.
 */
export async function assertNoLiveStack(descriptorFile: string): Promise<void> {
  if (!existsSync(descriptorFile)) return;
  let descriptor: { startedAt?: unknown; dataDir?: unknown } & Record<string, unknown>;
  try {
    descriptor = JSON.parse(readFileSync(descriptorFile, 'utf8')) as typeof descriptor;
  } catch {
    return;
  }
  const endpoints = loopbackEndpoints(JSON.stringify(descriptor));
  if (endpoints.length === 0) return;
  const results = await Promise.all(endpoints.map((e) => probeTcp(e, 1500)));
  const open = endpoints.filter((_, i) => results[i] === 'open');
  if (open.length * 2 > endpoints.length) {
    throw new StackAlreadyRunningError(
      descriptorFile,
      typeof descriptor.startedAt === 'string' ? descriptor.startedAt : undefined,
      open,
      typeof descriptor.dataDir === 'string' ? descriptor.dataDir : undefined,
    );
  }
}
