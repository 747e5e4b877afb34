import * as z from '@telemetry/core/zod';
import { serviceUrlSetting } from './settings';

describe('serviceUrlSetting', () => {
  const parse = (value: string) => z.safeParse(serviceUrlSetting(), value);

  it('takes http and https URLs', () => {
    for (const url of ['https://breaker.example.net/api/breaker', 'http://127.0.0.1:47071/api/breaker', 'https://acct.documents.azure.com:443/']) {
      expect(parse(url)).toMatchObject({ success: true, data: url });
    }
  });

  it('refuses a URL with a user name or password, and says why without the password', () => {
    const result = parse('https://ops:S3cr3t@breaker.example.net/api/breaker');
    expect(result.success).toBe(false);
    const text = JSON.stringify(result.error?.issues);
    expect(text).toContain('must not carry a user name or password');
    expect(text).not.toContain('S3cr3t');
    expect(parse('https://ops@breaker.example.net/').success).toBe(false);
  });

  it('refuses other schemes and non-URLs', () => {
    for (const value of ['ftp://files.example.net/', 'javascript:alert(1)', 'file:///etc/passwd', 'breaker.example.net', '']) {
      expect(parse(value).success).toBe(false);
    }
  });
});
