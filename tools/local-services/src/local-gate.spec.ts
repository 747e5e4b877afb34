import http from 'node:http';
import net, { type AddressInfo, type Socket } from 'node:net';
import { newBasicCredentials, startLocalGate } from './local-gate';
import { waitUntil } from './wait-until';

// A WebSocket upgrade passes the gate as two piped sockets; closing the gate must end both, or the
// upstream connection (to MailDev's live-update socket) outlives the gate.
describe('local gate: upgraded connections', () => {
  it('ends the upstream side of an upgraded connection when the gate closes', async () => {
    const upstreamSockets: Socket[] = [];
    const upstream = http.createServer((_req, res) => res.end());
    upstream.on('upgrade', (_req, socket: Socket) => {
      upstreamSockets.push(socket);
      socket.write('HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n');
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    const credentials = newBasicCredentials('operator');
    const gate = await startLocalGate({ target: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, credentials, realm: 'spec' });
    const client = net.connect(gate.port, '127.0.0.1');
    try {
      let answer = '';
      client.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      client.on('error', () => undefined);
      const auth = Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64');
      client.write(`GET /socket HTTP/1.1\r\nhost: 127.0.0.1:${gate.port}\r\nauthorization: Basic ${auth}\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n`);
      await waitUntil(() => answer.startsWith('HTTP/1.1 101') && upstreamSockets.length === 1, { timeoutMs: 10_000, intervalMs: 20, description: 'the upgrade to pass the gate' });
      const upstreamSide = upstreamSockets[0]!;
      // The upstream server sees the gate's side end (its own socket stays half-open, as http servers allow).
      const upstreamClosed = new Promise<void>((resolve) => {
        upstreamSide.once('end', () => resolve());
        upstreamSide.once('close', () => resolve());
      });
      await gate.close();
      await expect(Promise.race([upstreamClosed.then(() => 'closed'), new Promise((r) => setTimeout(() => r('still open'), 10_000))])).resolves.toBe('closed');
    } finally {
      client.destroy();
      for (const s of upstreamSockets) s.destroy();
      await new Promise<void>((resolve) => upstream.close(() => resolve()));
    }
  });
});
