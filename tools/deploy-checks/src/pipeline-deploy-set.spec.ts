import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { bashStep, type BashStep } from './pipeline-steps';
import { WORKSPACE_ROOT } from './workspace';

const run = promisify(execFile);

/**
 * azure-pipelines.yml tests what nx marks affected and deploys only the apps whose built package
 * changed. This runs the pipeline's own deploySet step (its script as written in the YAML) in a
 * scratch workspace with package folders and the real tools/build/package-hash.mjs, through the
 * runs the pipeline goes through: first deploy, a docs/spec-only change, a code change, nothing
 * affected.
 */
describe('pipeline: deploy an app only when its package hash changed', () => {
  let yaml: string;
  let step: BashStep;
  let ws: string;

  beforeAll(async () => {
    yaml = await readFile(path.join(WORKSPACE_ROOT, 'azure-pipelines.yml'), 'utf8');
    step = bashStep(yaml, 'deploySet');
    ws = await mkdtemp(path.join(tmpdir(), 'deploy-set-'));
    await cp(path.join(WORKSPACE_ROOT, 'tools/build/package-hash.mjs'), path.join(ws, 'tools/build/package-hash.mjs'));
    const files: Record<string, string> = {
      'ingestion/main.js': '"use strict";exports.ingest=1;\n',
      'ingestion/host.json': '{"version":"2.0"}\n',
      'device-status/main.js': '"use strict";exports.status=1;\n',
      'device-status/host.json': '{"version":"2.0"}\n',
      'dashboard/index.html': '<!doctype html><title>ops</title>\n',
    };
    for (const [file, text] of Object.entries(files)) {
      await mkdir(path.dirname(path.join(ws, 'dist/apps', file)), { recursive: true });
      await writeFile(path.join(ws, 'dist/apps', file), text);
    }
  });
  afterAll(async () => {
    if (ws) await rm(ws, { recursive: true, force: true });
  });

  /** One pipeline run of the step: returns the deployApps output and the recorded hashes. */
  async function deploySet(affected: string[], previous: Record<string, string> | undefined, round: string) {
    const previousFile = path.join(ws, round, 'previous-hashes', 'package-hashes.json');
    if (previous) {
      await mkdir(path.dirname(previousFile), { recursive: true });
      await writeFile(previousFile, JSON.stringify(previous));
    }
    const out = path.join(ws, round, 'staging', 'package-hashes', 'package-hashes.json');
    const { stdout } = await run('bash', ['-c', step.script], {
      cwd: ws,
      timeout: 60_000,
      env: {
        PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
        AFFECTED_APPS: JSON.stringify(affected),
        PREVIOUS_HASHES: previousFile,
        HASHES_OUT: out,
      },
    });
    const set = /^##vso\[task\.setvariable variable=deployApps;isOutput=true\](.*)$/m.exec(stdout);
    if (!set) throw new Error(`no deployApps output in:\n${stdout}`);
    return { deploy: JSON.parse(set[1]!) as string[], recorded: JSON.parse(await readFile(out, 'utf8')) as Record<string, string> };
  }

  it('reads the previous hashes the download task fetched and publishes the ones it records', () => {
    expect(() => bashStep(yaml, 'noSuchStep')).toThrow(/no step named noSuchStep/);
    expect(step.script).toMatch(/^set -euo pipefail\n/);
    expect(Object.keys(step.env).sort()).toEqual(['AFFECTED_APPS', 'HASHES_OUT', 'PREVIOUS_HASHES']);
    expect(step.env['AFFECTED_APPS']).toBe('$(affected.affectedApps)');
    expect(step.env['PREVIOUS_HASHES']).toBe('$(Pipeline.Workspace)/previous-hashes/package-hashes.json');
    expect(yaml).toMatch(/artifact: package-hashes\n\s+path: \$\(Pipeline\.Workspace\)\/previous-hashes\n/);
    expect(step.env['HASHES_OUT']).toBe('$(Build.ArtifactStagingDirectory)/package-hashes/package-hashes.json');
    expect(yaml).toMatch(/- publish: \$\(Build\.ArtifactStagingDirectory\)\/package-hashes\n\s+artifact: package-hashes\n/);
  });

  it('tests every affected project, and packages and deploys by deployApps alone', () => {
    expect(yaml).toMatch(/npx nx affected -t lint typecheck test build --base="\$NX_BASE" --head="\$NX_HEAD"/);
    const conditions = yaml.split('\n').filter((l) => /^\s*condition:.*\$\{\{ app\.name \}\}/.test(l));
    // package + publish in CI, one deployment job per app in Deploy
    expect(conditions).toHaveLength(3);
    for (const c of conditions) expect(c).toMatch(/deployApps/);
    expect(yaml).not.toMatch(/contains\(variables(\.|\[')affected/);
    expect(yaml).toContain("- name: deployApps\n        value: $[ stageDependencies.CI.build.outputs['deploySet.deployApps'] ]");
  });

  it('first run deploys every affected app; docs/spec-only, code-change and nothing-affected runs deploy what changed', async () => {
    const first = await deploySet(['ingestion', 'device-status', 'dashboard'], undefined, 'r1');
    expect(first.deploy).toEqual(['ingestion', 'device-status', 'dashboard']);
    expect(Object.keys(first.recorded).sort()).toEqual(['dashboard', 'device-status', 'ingestion']);

    // A spec edit marks ingestion affected; its rebuilt package differs only in its map.
    await writeFile(path.join(ws, 'dist/apps/ingestion/main.js.map'), '{"version":3}');
    await appendFile(path.join(ws, 'dist/apps/ingestion/main.js'), '//# sourceMappingURL=main.js.map\n');
    const docs = await deploySet(['ingestion'], first.recorded, 'r2');
    expect(docs).toEqual({ deploy: [], recorded: first.recorded });

    await writeFile(path.join(ws, 'dist/apps/ingestion/main.js'), '"use strict";exports.ingest=2;\n');
    const code = await deploySet(['ingestion', 'device-status'], docs.recorded, 'r3');
    expect(code.deploy).toEqual(['ingestion']);
    expect(code.recorded['ingestion']).not.toBe(first.recorded['ingestion']);
    expect({ ...code.recorded, ingestion: first.recorded['ingestion'] }).toEqual(first.recorded);

    const none = await deploySet([], code.recorded, 'r4');
    expect(none).toEqual({ deploy: [], recorded: code.recorded });
    expect(existsSync(path.join(ws, 'r4', 'staging', 'package-hashes', 'package-hashes.json'))).toBe(true);
  }, 120_000);
});
