import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { freePort } from './free-port';

const listen = (port: number): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

describe('freePort', () => {
  it('gives distinct loopback ports one can listen on, below the ephemeral range (never handed out by listen(0) or to outgoing connections)', async () => {
    const ephemeralLow = Number(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/)[0]);
    const servers: Server[] = [];
    try {
      for (let i = 0; i < 10; i++) {
        const port = await freePort();
        expect(port).toBeGreaterThanOrEqual(20_000);
        expect(port).toBeLessThan(ephemeralLow);
        servers.push(await listen(port)); // free when given, and held here so the next draws differ
      }
      const ports = servers.map((s) => (s.address() as { port: number }).port);
      expect(new Set(ports).size).toBe(ports.length);
    } finally {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
    }
  });
});
