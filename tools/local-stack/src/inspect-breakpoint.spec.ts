import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { SourceMap } from 'node:module';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { waitUntil } from '@telemetry/local-services';
import { startLocalStack, type LocalStack } from './start-stack';

jest.setTimeout(600_000);

/** A minimal Chrome DevTools Protocol client over WebSocket (RFC 6455 text frames; Node 20 has no WebSocket). */
class CdpClient {
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private pending = new Map<number, (m: { result?: unknown; error?: unknown }) => void>();
  readonly events: { method: string; params: Record<string, unknown> }[] = [];
  private constructor(private readonly socket: Socket) {}

  static open(wsUrl: string): Promise<CdpClient> {
    const url = new URL(wsUrl);
    return new Promise((resolve, reject) => {
      const socket = connect({ host: url.hostname, port: Number(url.port) }, () => {
        socket.write(`GET ${url.pathname} HTTP/1.1\r\nHost: ${url.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: ${randomBytes(16).toString('base64')}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      });
      socket.once('error', reject);
      let head = Buffer.alloc(0);
      const onHead = (chunk: Buffer): void => {
        head = Buffer.concat([head, chunk]);
        const end = head.indexOf('\r\n\r\n');
        if (end < 0) return;
        socket.off('data', onHead);
        if (!/^HTTP\/1\.1 101/.test(head.toString('latin1'))) return reject(new Error(`no WebSocket upgrade: ${head.toString('latin1', 0, end)}`));
        const client = new CdpClient(socket);
        socket.on('data', (c: Buffer) => client.onData(c));
        client.onData(head.subarray(end + 4));
        resolve(client);
      };
      socket.on('data', onHead);
    });
  }

  send<T = Record<string, unknown>>(method: string, params: Record<string, unknown> = {}): Promise<T> {
    const id = this.nextId++;
    const payload = Buffer.from(JSON.stringify({ id, method, params }));
    const mask = randomBytes(4);
    const len = payload.length;
    const header = len < 126 ? Buffer.from([0x81, 0x80 | len]) : len < 65536 ? Buffer.from([0x81, 0x80 | 126, len >> 8, len & 255]) : Buffer.concat([Buffer.from([0x81, 0x80 | 127]), bigLength(len)]);
    const masked = Buffer.from(payload.map((b, i) => b ^ mask[i % 4]!));
    this.socket.write(Buffer.concat([header, mask, masked]));
    return new Promise((resolve, reject) => this.pending.set(id, (m) => (m.error ? reject(new Error(`${method}: ${JSON.stringify(m.error)}`)) : resolve(m.result as T))));
  }

  close(): void {
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length < 2) return;
      let len = this.buffer[1]! & 127;
      let offset = 2;
      if (len === 126) {
        if (this.buffer.length < 4) return;
        len = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (len === 127) {
        if (this.buffer.length < 10) return;
        len = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + len) return;
      const opcode = this.buffer[0]! & 15;
      const text = this.buffer.toString('utf8', offset, offset + len);
      this.buffer = this.buffer.subarray(offset + len);
      if (opcode !== 1) continue;
      const message = JSON.parse(text) as { id?: number; method?: string; params?: Record<string, unknown>; result?: unknown; error?: unknown };
      if (message.id !== undefined) this.pending.get(message.id)?.(message);
      else if (message.method) this.events.push({ method: message.method, params: message.params ?? {} });
    }
  }
}

function bigLength(n: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeBigUInt64BE(BigInt(n));
  return b;
}

const TS_FILE = 'apps/device-status/src/functions/getDevice.ts';
/** `const deviceId = request.params['deviceId']` (1-based). */
const TS_LINE = readFileSync(path.join(__dirname, '../../..', TS_FILE), 'utf8').split('\n').findIndex((l) => l.includes("const deviceId = request.params['deviceId']")) + 1;

describe('debugging a served app: a breakpoint in a TypeScript source', () => {
  let stack: LocalStack;
  let dataDir: string;
  let cdp: CdpClient | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(tmpdir(), 'inspect-'));
    stack = await startLocalStack({ dataDir, apps: ['device-status'], dashboard: false, inspect: ['device-status'] });
  });
  afterAll(async () => {
    cdp?.close();
    await stack?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  it('pauses in getDevice.ts when the function runs', async () => {
    expect(TS_LINE).toBeGreaterThan(0);
    const port = stack.inspectPorts.get('device-status');
    const [target] = (await (await fetch(`http://127.0.0.1:${port}/json/list`, { signal: AbortSignal.timeout(60_000) })).json()) as { webSocketDebuggerUrl: string }[];
    cdp = await CdpClient.open(target!.webSocketDebuggerUrl);
    await cdp.send('Debugger.enable');
    // The app's bundle and the source map beside it (the local build keeps main.js.map next to main.js).
    const script = await waitUntil(() => cdp!.events.find((e) => e.method === 'Debugger.scriptParsed' && /\/main\.js$/.test(String(e.params['url'])) && e.params['sourceMapURL']), { timeoutMs: 60_000 });
    const bundle = fileURLToPath(String(script.params['url']));
    expect(script.params['sourceMapURL']).toBe('main.js.map');
    const map = new SourceMap(JSON.parse(readFileSync(`${bundle}.map`, 'utf8')));
    // The generated position of the .ts line, found through the source map (what an IDE does).
    const lines = readFileSync(bundle, 'utf8').split('\n');
    let generated: { lineNumber: number; columnNumber: number } | undefined;
    for (let line = 0; line < lines.length && !generated; line++) {
      for (let column = 0; column < lines[line]!.length; column++) {
        const entry = map.findEntry(line, column) as { originalSource?: string; originalLine?: number };
        if (entry.originalSource?.endsWith(TS_FILE) && entry.originalLine === TS_LINE - 1) {
          generated = { lineNumber: line, columnNumber: column };
          break;
        }
      }
    }
    expect(generated).toBeDefined();
    await cdp.send('Debugger.setBreakpointByUrl', { url: String(script.params['url']), ...generated });

    const host = stack.descriptor.apps['device-status']!;
    const response = fetch(`${host.baseUrl}/api/devices/drone-00001`, { headers: { 'x-functions-key': host.functionKey }, signal: AbortSignal.timeout(300_000) });
    const paused = await waitUntil(() => cdp!.events.find((e) => e.method === 'Debugger.paused'), { timeoutMs: 120_000 });
    const top = (paused.params['callFrames'] as { location: { lineNumber: number; columnNumber: number } }[])[0]!.location;
    const original = map.findEntry(top.lineNumber, top.columnNumber) as { originalSource?: string; originalLine?: number };
    expect(original.originalSource).toMatch(/apps\/device-status\/src\/functions\/getDevice\.ts$/);
    expect(original.originalLine! + 1).toBe(TS_LINE);
    await cdp.send('Debugger.resume');
    expect((await response).status).toBe(404);
  });
});
