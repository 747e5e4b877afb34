import { cpuSpent, parseProcStat, roleOf, stackCpuSeconds } from './process-cpu';

describe('stack CPU accounting', () => {
  it('reads ppid and user + system ticks after the command name, even one with spaces and parentheses', () => {
    const raw = '4242 (node (x) y) S 17 4242 4242 0 -1 4194560 100 0 0 0 250 50 0 0 20 0 11 0 1000 1 1 18446744073709551615';
    expect(parseProcStat(raw)).toEqual({ ppid: 17, cpuSeconds: 3 });
  });

  it('names the local stack processes by their command lines', () => {
    expect(roleOf('node\0/work/dist/tools/local-host/cli.js\0--app\0x')).toBe('host');
    expect(roleOf('node\0tools/eventhubs-emulator/src/cli.ts')).toBe('emulator');
    expect(roleOf('node\0node_modules/@vercel/cosmosdb-server/lib/cli.js')).toBe('cosmos');
    expect(roleOf(['node', 'tools/local-services/src/cosmosdb-server-main.cjs', '127.0.0.1', '41234'].join('\0'))).toBe('cosmos');
    expect(roleOf('node\0node_modules/azurite/dist/src/azurite.js')).toBe('azurite');
    expect(roleOf('sh\0-c\0true')).toBe('other');
  });

  it('differences per role with a total; this process counts as bench and its CPU grows with work', () => {
    expect(cpuSpent({ host: 1, bench: 2 }, { host: 3.5, bench: 2.25, cosmos: 1 })).toEqual({ host: 2.5, bench: 0.3, cosmos: 1, total: 3.8 });
    const before = stackCpuSeconds();
    // Burn 50 ms of this process's CPU (bounded in wall time: the machine may be shared).
    const start = process.cpuUsage();
    const deadline = Date.now() + 30_000;
    let x = 0;
    while (process.cpuUsage(start).user < 50_000 && Date.now() < deadline) x += Math.sqrt(x + 1);
    expect(x).toBeGreaterThan(0);
    expect(cpuSpent(before, stackCpuSeconds())['bench']).toBeGreaterThan(0);
  });
});
