import { readFile } from 'node:fs/promises';

/** Resident set size of a process in MB (Linux /proc), or null where unavailable. */
export async function rssMb(pid: number | undefined): Promise<number | null> {
  if (!pid) return null;
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1]);
    return Number.isFinite(kb) ? Math.round(kb / 1024) : null;
  } catch {
    return null;
  }
}

/** Samples a process's RSS every `intervalMs` until stopped; returns the peak. */
export function sampleRss(pid: number | undefined, intervalMs = 250): { stop(): Promise<number | null> } {
  let peak: number | null = null;
  const timer = setInterval(() => {
    void rssMb(pid).then((mb) => {
      if (mb !== null && (peak === null || mb > peak)) peak = mb;
    });
  }, intervalMs);
  return {
    async stop() {
      clearInterval(timer);
      const last = await rssMb(pid);
      return last !== null && (peak === null || last > peak) ? last : peak;
    },
  };
}
