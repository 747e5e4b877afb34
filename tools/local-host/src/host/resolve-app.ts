import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LocalHostError } from '../errors';

export interface ResolvedApp {
  /** The function app folder (host.json lives here). */
  appDir: string;
  /** The module to require: package.json `main`, or the given .js/.ts file. */
  entry: string;
}

/**
 * Accepts a built app folder (`dist/apps/<app>` with package.json `main` + host.json) or a path
 * to an entry file (.js, or .ts run through tsx) whose folder holds host.json if there is one.
 */
export function resolveApp(appPath: string): ResolvedApp {
  const full = path.resolve(appPath);
  if (!existsSync(full)) throw new LocalHostError('APP_NOT_FOUND', `app path ${full} does not exist`, 'load');
  if (statSync(full).isFile()) return { appDir: path.dirname(full), entry: full };
  const pkgFile = path.join(full, 'package.json');
  const main = existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: string }).main : undefined;
  const entry = path.join(full, main ?? 'index.js');
  if (!existsSync(entry)) throw new LocalHostError('APP_NOT_FOUND', `app entry ${entry} does not exist (package.json main)`, 'load');
  return { appDir: full, entry };
}
