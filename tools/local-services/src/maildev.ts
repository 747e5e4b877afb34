import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';
import { newBasicCredentials, startLocalGate } from './local-gate';

/** How to reach MailDev's web UI and REST API: the gate's URL and the stack's credentials for it (HTTP Basic). */
export interface MailDevAccess {
  webUrl: string;
  webUser: string;
  webPassword: string;
}

export interface MailDevInstance extends MailDevAccess {
  smtpHost: string;
  smtpPort: number;
  pid: number | undefined;
  stop(): Promise<void>;
}

/** One message as MailDev's REST API lists it (`GET /api/email`); the fields tests read. */
export interface MailDevEmail {
  id: string;
  subject: string;
  text?: string;
  html?: string;
  from: { address: string; name?: string }[];
  to: { address: string; name?: string }[];
}

// ESM only, and its exports have no require condition nor package.json: find it on the module paths.
function maildevBin(): string {
  for (const dir of require.resolve.paths('maildev') ?? []) {
    const bin = path.join(dir, 'maildev', 'dist', 'bin', 'maildev.js');
    if (existsSync(bin)) return bin;
  }
  throw new Error('maildev is not installed (npm ci installs it: a devDependency)');
}

/**
 * Starts MailDev (npm `maildev`: an SMTP server that keeps what it receives, with a web UI) on two
 * free ports, both bound to 127.0.0.1. Messages are kept in `mailDirectory` (a 0700 folder;
 * default: a private temp folder removed on stop). Nothing is relayed.
 *
 * The mails hold the breaker's signed resume links, so the web UI is not left open: MailDev's own
 * web port needs credentials only this process knows (given in its environment), and users reach
 * it through a gate (local-gate.ts) that asks for the stack's credentials (`webUser` /
 * `webPassword`, kept in the 0600 .local/stack.json), refuses cross-site requests and rebound
 * Hosts, and drops MailDev's CORS answer (it reflects any Origin, with credentials).
 */
export async function startMailDev(options: { echo?: boolean; mailDirectory?: string } = {}): Promise<MailDevInstance> {
  // Its own folder for the .eml files (else a shared /tmp/maildev): the mails hold resume links.
  const own = options.mailDirectory ? undefined : mkdtempSync(path.join(os.tmpdir(), 'maildev-'));
  const mailDirectory = options.mailDirectory ?? own!;
  mkdirSync(mailDirectory, { recursive: true, mode: 0o700 });
  chmodSync(mailDirectory, 0o700);
  const removeOwn = () => own && rmSync(own, { recursive: true, force: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const smtpPort = await freePort();
    const webPort = await freePort();
    const inner = newBasicCredentials('maildev');
    const proc = new ManagedProcess({
      name: 'maildev',
      command: process.execPath,
      args: [maildevBin(), '--mail-directory', mailDirectory, '--smtp', String(smtpPort), '--web', String(webPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'],
      // In the environment, not argv (where `ps` shows it to every local user).
      env: { MAILDEV_WEB_USER: inner.user, MAILDEV_WEB_PASS: inner.password },
      readyPattern: /Press Ctrl\+C to stop/,
      echo: options.echo,
    });
    try {
      await proc.start();
      const outer = newBasicCredentials('operator');
      const gate = await startLocalGate({ target: `http://127.0.0.1:${webPort}`, credentials: outer, targetCredentials: inner, realm: 'Local stack MailDev' });
      return {
        smtpHost: '127.0.0.1', smtpPort, webUrl: gate.url, webUser: outer.user, webPassword: outer.password, pid: proc.pid,
        stop: () => gate.close().then(() => proc.stop()).finally(removeOwn),
      };
    } catch (error) {
      lastError = error;
      await proc.kill();
    }
  }
  removeOwn();
  throw lastError;
}

/** The Authorization header for MailDev's gate. */
export function mailDevAuthorization(access: MailDevAccess): string {
  return `Basic ${Buffer.from(`${access.webUser}:${access.webPassword}`, 'utf8').toString('base64')}`;
}

/** Every message MailDev holds, newest last (signed in when the credentials are given: a stack's descriptor has them). */
export async function listMailDevEmails(access: Pick<MailDevAccess, 'webUrl'> & Partial<MailDevAccess>): Promise<MailDevEmail[]> {
  const { webUser, webPassword } = access;
  const headers: Record<string, string> = webUser !== undefined && webPassword !== undefined ? { authorization: mailDevAuthorization({ webUrl: access.webUrl, webUser, webPassword }) } : {};
  const response = await fetch(new URL('api/email', access.webUrl), { headers });
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const body = (await response.json()) as MailDevEmail[] | { emails?: MailDevEmail[]; data?: MailDevEmail[] };
  return Array.isArray(body) ? body : (body.emails ?? body.data ?? []);
}
