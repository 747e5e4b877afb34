import { ManagedProcess } from './managed-process';
import { waitUntil } from './wait-until';

describe('ManagedProcess', () => {
  it('hands the ready line to the caller as is, but keeps keys out of tail() (error messages, echoes)', async () => {
    const masterKey = 'Zm9vYmFyLWJhei1xdXV4LWNvcmdlLWdyYXVsdA-_Ab9';
    const ready = JSON.stringify({ ready: true, masterKey });
    const script = `console.log(${JSON.stringify(ready)}); console.error('Endpoint=sb://h;SharedAccessKey=c2VjcmV0LWtleS12YWx1ZQ==;EntityPath=x'); setInterval(() => {}, 1000);`;
    const proc = new ManagedProcess({ name: 'probe', command: process.execPath, args: ['-e', script], readyPattern: /^\{"ready":true/ });
    try {
      expect(JSON.parse(await proc.start())).toEqual({ ready: true, masterKey });
      // stderr may trail stdout: the tail holds both lines once both arrived.
      await waitUntil(() => proc.tail().includes('SharedAccessKey'), { timeoutMs: 60_000, description: 'the stderr line' });
      expect(proc.tail()).toContain('"ready":true');
      expect(proc.tail()).toContain('SharedAccessKey=***');
      expect(proc.tail()).not.toContain(masterKey);
      expect(proc.tail()).not.toContain('c2VjcmV0LWtleS12YWx1ZQ==');
    } finally {
      await proc.kill();
    }
  });
});
