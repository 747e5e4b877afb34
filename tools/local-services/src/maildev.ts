import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port';
import { ManagedProcess } from './managed-process';

export interface MailDevInstance {
  smtpHost: string;
  smtpPort: number;
  /** The web UI (and its REST API under /api). */
  webUrl: string;
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
 * free ports, both bound to 127.0.0.1. Messages are kept in `mailDirectory` (default: a private temp
 * folder removed on stop). Nothing is relayed.
 */
export async function startMailDev(options: { echo?: boolean; mailDirectory?: string } = {}): Promise<MailDevInstance> {
  // Its own folder for the .eml files (else a shared /tmp/maildev): the mails hold resume links.
  const own = options.mailDirectory ? undefined : mkdtempSync(path.join(os.tmpdir(), 'maildev-'));
  const mailDirectory = options.mailDirectory ?? own!;
  const removeOwn = () => own && rmSync(own, { recursive: true, force: true });
  let lastError: unknown;
  for (let attempt = 0; attempt < 4; attempt++) {
    const smtpPort = await freePort();
    const webPort = await freePort();
    const proc = new ManagedProcess({
      name: 'maildev',
      command: process.execPath,
      args: [maildevBin(), '--mail-directory', mailDirectory, '--smtp', String(smtpPort), '--web', String(webPort), '--ip', '127.0.0.1', '--web-ip', '127.0.0.1'],
      readyPattern: /Press Ctrl\+C to stop/,
      echo: options.echo,
    });
    try {
      await proc.start();
      return { smtpHost: '127.0.0.1', smtpPort, webUrl: `http://127.0.0.1:${webPort}/`, pid: proc.pid, stop: () => proc.stop().finally(removeOwn) };
    } catch (error) {
      lastError = error;
      await proc.kill();
    }
  }
  removeOwn();
  throw lastError;
}

/** Every message MailDev holds, newest last. */
export async function listMailDevEmails(webUrl: string): Promise<MailDevEmail[]> {
  const response = await fetch(new URL('api/email', webUrl));
  if (!response.ok) throw new Error(`MailDev answered ${response.status}`);
  const body = (await response.json()) as MailDevEmail[] | { emails?: MailDevEmail[]; data?: MailDevEmail[] };
  return Array.isArray(body) ? body : (body.emails ?? body.data ?? []);
}
