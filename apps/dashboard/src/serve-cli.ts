// Serve the dashboard alone: tsx apps/dashboard/src/serve-cli.ts --api http://127.0.0.1:7071 [--port 0]
// The function key comes from DEVICE_STATUS_FUNCTION_KEY (never a command-line argument).
import { parseArgs } from 'node:util';
import { serveDashboard } from './serve';

const { values } = parseArgs({ options: { api: { type: 'string' }, port: { type: 'string', default: '0' } } });
if (!values.api) {
  console.error('usage: serve-cli.ts --api <device-status base URL> [--port N]');
  process.exit(2);
}
serveDashboard({ apiBaseUrl: values.api, port: Number(values.port), functionKey: process.env['DEVICE_STATUS_FUNCTION_KEY'] }).then(
  (server) => console.log(JSON.stringify({ ready: true, url: server.url })),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
