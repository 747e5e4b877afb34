import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/**
 * A free loopback port for a process the caller starts next (Azurite, the Cosmos server, a host),
 * and which a restart takes again. Drawn at random below the OS's ephemeral range, where neither
 * `listen(0)` nor an outgoing connection's source port is ever placed: a port from that range could
 * be handed to anything on a busy machine in the moment between our check and the child's bind, or
 * while a killed host is being restarted on it (EADDRINUSE, seen in CI). Another process may still
 * take it first: callers retry. Falls back to the OS's choice when no drawn port is free.
 */
export async function freePort(): Promise<number> {
  const [low, high] = stableRange();
  for (let attempt = 0; attempt < 20 && high > low; attempt++) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await canListen(port)) return port;
  }
  return listenOnce(0);
}

/** [20000, start of the ephemeral range - 1]: Linux's range is read, elsewhere IANA's (49152). */
function stableRange(): [number, number] {
  let ephemeralLow = 49152;
  try {
    const [first] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (first !== undefined && Number.isInteger(first) && first > 0) ephemeralLow = first;
  } catch {
    // Not Linux: IANA's dynamic range.
  }
  return [20_000, Math.min(ephemeralLow, 65_536) - 1];
}

async function canListen(port: number): Promise<boolean> {
  return listenOnce(port).then(
    () => true,
    () => false,
  );
}

function listenOnce(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(bound));
    });
  });
}
