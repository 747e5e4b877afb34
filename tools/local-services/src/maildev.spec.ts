import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { httpGet as get } from './http-get';
import { listMailDevEmails, mailDevAuthorization, startMailDev, type MailDevInstance } from './maildev';

// The mails hold the breaker's signed resume links: MailDev's web UI (which answers any Origin
// with CORS and credentials, and any Host) is reached only through the stack's gate.
describe('MailDev behind the stack gate', () => {
  let mail: MailDevInstance;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'maildev-spec-'));
    mail = await startMailDev({ mailDirectory: path.join(dir, 'mail') });
  });
  afterAll(async () => {
    await mail?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the API to the stack credentials, with no CORS answer for any origin', async () => {
    expect(await listMailDevEmails(mail)).toEqual([]);
    const signedIn = await get(new URL('api/email', mail.webUrl).href, { authorization: mailDevAuthorization(mail) });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers['access-control-allow-origin']).toBeUndefined();
    expect(signedIn.headers['access-control-allow-credentials']).toBeUndefined();
  });

  it('refuses no credentials, wrong ones, another site and a rebound Host', async () => {
    const url = new URL('api/email', mail.webUrl).href;
    const auth = mailDevAuthorization(mail);
    const none = await get(url, {});
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Basic realm=/);
    expect((await get(url, { authorization: mailDevAuthorization({ ...mail, webPassword: `${mail.webPassword}x` }) })).status).toBe(401);
    expect((await get(url, { authorization: auth, origin: 'https://evil.example' })).status).toBe(403);
    expect((await get(url, { authorization: auth, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await get(url, { authorization: auth, host: `rebound.evil.example:${new URL(mail.webUrl).port}` })).status).toBe(421);
    // The page's own requests pass.
    expect((await get(url, { authorization: auth, origin: mail.webUrl.replace(/\/$/, ''), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });

  it('keeps the mails in a folder only its owner can read', () => {
    expect(statSync(path.join(dir, 'mail')).mode & 0o777).toBe(0o700);
  });
});
