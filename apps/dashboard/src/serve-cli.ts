// Serve the dashboard on loopback:
//   npm run dashboard                       (reads .local/stack.json written by `npm run dev` / `npm start`)
//   tsx apps/dashboard/src/serve-cli.ts --api http://127.0.0.1:7071 [--port 0]
// With --api the function key comes from DEVICE_STATUS_FUNCTION_KEY (never a command-line argument).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Command, InvalidArgumentError } from 'commander';
import { serveDashboard } from './serve';

interface StackFile {
  apps?: Record<string, { baseUrl: string; functionKey?: string }>;
}

async function main(): Promise<void> {
  const values = new Command()
    .name('npm run dashboard --')
    .description('Serve the operations dashboard on 127.0.0.1: a same-origin proxy to the device-status API that adds its function key server-side.')
    .option('--stack <file>', 'the stack descriptor written by `npm run dev` / `npm start` (.local/stack.json)')
    .option('--api <url>', 'the device-status base URL instead of --stack (function key from env DEVICE_STATUS_FUNCTION_KEY)')
    .option('--port <n>', 'port (0 = a free one)', (v: string) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || n > 65_535) throw new InvalidArgumentError(`--port must be a whole number from 0 to 65,535 (got ${JSON.stringify(v)})`);
      return v;
    }, '0')
    .parse()
    .opts<{ stack?: string; api?: string; port: string }>();
  let apiBaseUrl = values.api;
  let functionKey = process.env['DEVICE_STATUS_FUNCTION_KEY'];
  if (!apiBaseUrl && values.stack) {
    const file = path.resolve(values.stack);
    const stack = JSON.parse(await readFile(file, 'utf8').catch(() => { throw new Error(`no ${file}: start the stack first (npm run dev)`); })) as StackFile;
    const app = stack.apps?.['device-status'];
    if (!app) throw new Error(`${file} lists no device-status app`);
    apiBaseUrl = app.baseUrl;
    functionKey ??= app.functionKey;
  }
  if (!apiBaseUrl) throw new Error('usage: serve-cli.ts (--stack .local/stack.json | --api <device-status base URL>) [--port N]');
  // Say it now rather than let every panel show 401: a function-level API needs its key.
  if (!functionKey) console.error('warning: no DEVICE_STATUS_FUNCTION_KEY: the proxy adds no key, so a device-status app with authLevel function answers 401');
  const server = await serveDashboard({ apiBaseUrl, functionKey, port: Number(values.port) });
  console.log(`dashboard: ${server.url}  (API ${apiBaseUrl}; Ctrl-C stops)`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
