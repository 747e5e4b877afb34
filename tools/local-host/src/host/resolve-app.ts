import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { LocalHostError } from '../errors';
import { globFiles, hasGlobMagic } from './entry-point-glob';

export interface ResolvedApp {
  /** The function app folder (host.json lives here). */
  appDir: string;
  /** The modules to require, in order: every match of package.json `main` (a file or a glob), or the given .js/.ts file. */
  entries: string[];
}

/**
 * Accepts a built app folder (`dist/apps/<app>` with package.json `main` + host.json) or a path
 * to an entry file (.js, or .ts run through tsx) whose folder holds host.json if there is one.
 * `main` may be a glob (`functions/*.js`, `dist/src/functions/*.js`): every matching file is
 * loaded, as the Node worker does (azure-functions-nodejs-worker src/startApp.ts); zero matches
 * fail the app with the worker's message.
 */
export function resolveApp(appPath: string): ResolvedApp {
  const full = path.resolve(appPath);
  if (!existsSync(full)) throw new LocalHostError('APP_NOT_FOUND', `app path ${full} does not exist`, 'load');
  if (statSync(full).isFile()) return { appDir: path.dirname(full), entries: [full] };
  const pkgFile = path.join(full, 'package.json');
  const main = (existsSync(pkgFile) ? (JSON.parse(readFileSync(pkgFile, 'utf8')) as { main?: string }).main : undefined) || 'index.js';
  const files = globFiles(main, full);
  if (files.length === 0) {
    const reason = hasGlobMagic(main) ? 'Found zero files matching the supplied pattern' : 'File does not exist';
    throw new LocalHostError('APP_NOT_FOUND', `Worker was unable to load entry point "${main}": ${reason} (package.json main in ${full})`, 'load');
  }
  return { appDir: full, entries: files.map((file) => path.join(full, file)) };
}
