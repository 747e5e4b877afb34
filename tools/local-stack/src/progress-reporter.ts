import type { StackStep } from './start-stack';

/** One progress line: `  ready  <step>  <seconds since start>  [url]`. */
export function formatProgressLine(step: StackStep, elapsedMs: number): string {
  const inspector = step.inspector ? `  (inspector ${step.inspector})` : '';
  return `  ready ${step.name.padEnd(24)} ${(elapsedMs / 1000).toFixed(1).padStart(6)} s${step.url ? `  ${step.url}` : ''}${inspector}`;
}

/** A start-up progress reporter: prints each step as it becomes ready, with its time since `t0`. */
export function progressReporter(write: (line: string) => void, t0 = Date.now(), now: () => number = Date.now): (step: StackStep) => void {
  return (step) => write(formatProgressLine(step, now() - t0));
}
