import { SingleBar, Presets } from 'cli-progress';
import type { CliIo } from './io';

export interface Progress {
  increment(): void;
  stop(): void;
}

/** A cli-progress bar on stderr for long runs; silent when not interactive or with --json. */
export function startProgress(io: CliIo, label: string, total: number, json: boolean): Progress {
  if (!io.interactive || json || total < 2) return { increment: () => undefined, stop: () => undefined };
  const bar = new SingleBar({ format: `${label} [{bar}] {value}/{total} {eta_formatted}`, stream: io.stderr, hideCursor: true }, Presets.shades_classic);
  bar.start(total, 0);
  return { increment: () => bar.increment(), stop: () => bar.stop() };
}
