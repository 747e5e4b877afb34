// The `build` target: node --import tsx apps/dashboard/src/build-cli.ts -> dist/apps/dashboard.
import path from 'node:path';
import { writeDashboard } from './build-dashboard';

const out = path.resolve(__dirname, '../../../dist/apps/dashboard');
writeDashboard(out).then(
  () => console.log(`built dashboard -> ${path.relative(process.cwd(), out)}`),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  },
);
