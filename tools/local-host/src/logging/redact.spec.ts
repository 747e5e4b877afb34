import { redactFields, redactText } from './redact';

describe('redaction', () => {
  it('removes credentials from text and secret-looking fields', () => {
    expect(redactText('Endpoint=sb://x/;SharedAccessKeyName=a;SharedAccessKey=abc123=;EntityPath=h')).not.toContain('abc123');
    expect(redactText('AccountName=dev;AccountKey=Zm9v==;')).toBe('AccountName=dev;AccountKey=[redacted];');
    expect(redactFields({ StorageConnection: 'x', count: 3, name: 'ok', value: 'has token=1' })).toEqual({ StorageConnection: '[redacted]', count: 3, name: 'ok', value: '[redacted]' });
  });
});
