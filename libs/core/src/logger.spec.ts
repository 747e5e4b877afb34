import { jsonLogger } from './logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = jsonLogger((_level, line) => lines.push(JSON.parse(line) as Record<string, unknown>), { app: 'ingestion' });
  return { logger, lines };
}

describe('jsonLogger: no credential reaches a line, whatever its field holds', () => {
  it('masks whole any value under a credential-named field, not only strings', () => {
    const { logger, lines } = capture();
    logger.warn('settings', { password: 'hunter2', smtpPassword: 'hunter2', apiKey: 12345, sig: ['abc'], masterKey: { v: 'x' }, partitionKey: 'drone-1', retries: 3 });
    expect(lines[0]).toEqual({ level: 'warn', message: 'settings', app: 'ingestion', password: '***', smtpPassword: '***', apiKey: '***', sig: '***', masterKey: '***', partitionKey: 'drone-1', retries: 3 });
  });

  it('writes class instances as JSON would (a URL, a Date), redacted; bytes by their length; errors by name and message', () => {
    const { logger, lines } = capture();
    const url = new URL('https://ops:S3cr3t@a.blob.core.windows.net/c/b?sv=2024&sig=RAWSIG123');
    logger.error('read failed', {
      url,
      at: new Date('2026-12-01T00:00:00Z'),
      body: Buffer.from('AccountKey=RAWKEY123'),
      error: new Error('GET https://a/c?sig=RAWSIG456 failed'),
      list: new Set(['code=RAWCODE789']),
      counts: new Map([['sent', 3n]]),
    });
    const text = JSON.stringify(lines[0]);
    for (const secret of ['S3cr3t', 'RAWSIG123', 'RAWKEY123', 'RAWSIG456', 'RAWCODE789']) expect(text).not.toContain(secret);
    expect(lines[0]).toMatchObject({
      url: 'https://ops:***@a.blob.core.windows.net/c/b?sv=2024&sig=***',
      at: '2026-12-01T00:00:00.000Z',
      body: '[20 bytes]',
      error: { name: 'Error', message: 'GET https://a/c?sig=*** failed' },
      list: ['code=***'],
      counts: { sent: '3' },
    });
  });

  it('redacts the message itself', () => {
    const { logger, lines } = capture();
    logger.info('connecting with Endpoint=sb://h/;SharedAccessKeyName=k;SharedAccessKey=RAWKEY000');
    expect(lines[0]!['message']).toBe('connecting with Endpoint=sb://h/;SharedAccessKeyName=k;SharedAccessKey=***');
  });
});
