import path from 'node:path';
import { build } from 'esbuild';

/** Bundles the metrics snapshot plugin into `outDir` (plain CommonJS: no TypeScript loader in the host). */
export async function bundleMetricsPlugin(outDir: string): Promise<string> {
  const outfile = path.join(outDir, 'metrics-snapshot-plugin.js');
  await build({
    entryPoints: [path.join(__dirname, 'metrics-snapshot-plugin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
  });
  return outfile;
}
