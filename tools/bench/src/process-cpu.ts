import { readdirSync, readFileSync } from 'node:fs';

/** CPU seconds by role (host, emulator, cosmos, azurite, bench, other). */
export type CpuByRole = Record<string, number>;

/** Linux USER_HZ: /proc/<pid>/stat counts CPU time in ticks of 1/100 s. */
const TICKS_PER_SECOND = 100;

/** ppid and user + system CPU seconds from a /proc/<pid>/stat line (the command name may hold spaces and parentheses). */
export function parseProcStat(raw: string): { ppid: number; cpuSeconds: number } | undefined {
  const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
  const ppid = Number(fields[1]);
  const ticks = Number(fields[11]) + Number(fields[12]);
  return Number.isFinite(ppid) && Number.isFinite(ticks) ? { ppid, cpuSeconds: ticks / TICKS_PER_SECOND } : undefined;
}

/** What a process of the local stack is, from its command line. */
export function roleOf(cmdline: string): string {
  if (/local-host/.test(cmdline)) return 'host';
  if (/eventhubs-emulator/.test(cmdline)) return 'emulator';
  if (/cosmosdb-server/.test(cmdline)) return 'cosmos';
  if (/azurite/.test(cmdline)) return 'azurite';
  return 'other';
}

/**
 * CPU seconds used so far by this process (role `bench`) and every live descendant, by role
 * (Linux /proc; empty elsewhere). Differences of two readings give what a phase cost, whatever
 * share of the shared machine it got.
 */
export function stackCpuSeconds(root = process.pid): CpuByRole {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((d) => /^\d+$/.test(d));
  } catch {
    return {};
  }
  const procs = new Map<number, { ppid: number; cpuSeconds: number; cmdline: string }>();
  for (const d of entries) {
    try {
      const stat = parseProcStat(readFileSync(`/proc/${d}/stat`, 'utf8'));
      if (stat) procs.set(Number(d), { ...stat, cmdline: readFileSync(`/proc/${d}/cmdline`, 'utf8') });
    } catch {
      // exited meanwhile
    }
  }
  const mine = new Set([root]);
  for (let grew = true; grew; ) {
    grew = false;
    for (const [pid, p] of procs) {
      if (mine.has(pid) || !mine.has(p.ppid)) continue;
      mine.add(pid);
      grew = true;
    }
  }
  const out: CpuByRole = {};
  for (const pid of mine) {
    const p = procs.get(pid);
    if (!p) continue;
    const role = pid === root ? 'bench' : roleOf(p.cmdline);
    out[role] = (out[role] ?? 0) + p.cpuSeconds;
  }
  return out;
}

/** after - before, per role, rounded to 0.1 s, with `total`. */
export function cpuSpent(before: CpuByRole, after: CpuByRole): CpuByRole {
  const out: CpuByRole = {};
  let total = 0;
  for (const [role, seconds] of Object.entries(after)) {
    const spent = Math.max(0, seconds - (before[role] ?? 0));
    out[role] = Math.round(spent * 10) / 10;
    total += spent;
  }
  out['total'] = Math.round(total * 10) / 10;
  return out;
}
