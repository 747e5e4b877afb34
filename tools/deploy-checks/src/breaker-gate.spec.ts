import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { WORKSPACE_ROOT } from './workspace';

const GATE = path.join(WORKSPACE_ROOT, 'infra/scripts/breaker-gate.sh');
const KEY = 'status-readers-key';

/**
 * infra/scripts/breaker-gate.sh as the pipeline runs it, before a template deploy and before an
 * ingestion deploy: against a loopback stand-in for the breaker's GET /api/breaker (which checks
 * the function key as the Functions host would) and a stand-in `az` on PATH (no Azure here).
 */
describe('pipeline breaker gate: no deploy while the breaker is not closed', () => {
  let server: http.Server;
  let port = 0;
  let status = 'closed';
  let bin: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (req.url !== '/api/breaker') return void res.writeHead(404).end();
      if (req.headers['x-functions-key'] !== KEY) return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status, since: '2026-12-01T00:00:00Z' }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    bin = await mkdtemp(path.join(tmpdir(), 'gate-bin-'));
    // A stand-in `az` driven by the environment: AZ_FAIL=1 fails every call (throttling, an expired
    // token); AZ_GROUP_EXISTS; AZ_DEPLOYMENT=missing|Failed|Succeeded; AZ_BREAKER_HOST (empty: no
    // breaker in the outputs); AZ_KEYS=ok|notfound|fail for the breaker's function keys.
    await writeFile(path.join(bin, 'az'), [
      '#!/usr/bin/env bash',
      'if [ "${AZ_FAIL:-}" = 1 ]; then echo "ERROR: (TooManyRequests) throttled" >&2; exit 1; fi',
      'args="$*"',
      'case "$args" in',
      '  "group exists"*) echo "${AZ_GROUP_EXISTS:-true}" ;;',
      '  *"deployment group show"*)',
      '    if [ "${AZ_DEPLOYMENT:-Succeeded}" = missing ]; then echo "ERROR: (DeploymentNotFound) Deployment not found" >&2; exit 3; fi',
      '    case "$args" in',
      '      *provisioningState*) echo "${AZ_DEPLOYMENT:-Succeeded}" ;;',
      '      *functionAppHostNames*) echo "${AZ_BREAKER_HOST-}" ;;',
      '      *functionApps*) echo "breaker-site" ;;',
      '    esac ;;',
      '  *"functionapp function keys list"*)',
      '    case "${AZ_KEYS:-ok}" in',
      '      ok) echo "$AZ_STATUS_KEY" ;;',
      '      notfound) echo "ERROR: Operation returned an invalid status Not Found" >&2; exit 3 ;;',
      '      *) echo "ERROR: (AuthorizationFailed)" >&2; exit 1 ;;',
      '    esac ;;',
      '  *) echo "unexpected az $args" >&2; exit 2 ;;',
      'esac',
      '',
    ].join('\n'));
    await chmod(path.join(bin, 'az'), 0o755);
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    if (bin) await rm(bin, { recursive: true, force: true });
  });

  function gate(env: Record<string, string>): Promise<{ code: number; out: string }> {
    return new Promise((resolve) => {
      execFile('bash', ['-c', `set -euo pipefail; source "${GATE}"; breaker_gate rg-telemetry-prod telemetry-main`], {
        timeout: 120_000,
        env: {
          PATH: `${bin}${path.delimiter}${path.dirname(process.execPath)}${path.delimiter}${process.env['PATH'] ?? ''}`,
          BREAKER_GATE_SCHEME: 'http', BREAKER_GATE_RETRIES: '0', AZ_BREAKER_HOST: `127.0.0.1:${port}`, AZ_STATUS_KEY: KEY, BREAKER_STATUS_KEY: 'the-pipeline-copy', ...env,
        },
      }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
    });
  }

  it('passes when the breaker is closed, refuses open and half-open with the reason and the override', async () => {
    status = 'closed';
    expect(await gate({})).toMatchObject({ code: 0, out: expect.stringContaining('the circuit breaker is closed') });
    for (const s of ['half-open']) {
      status = s;
      const refused = await gate({});
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain(`the circuit breaker is '${s}'`);
      expect(refused.out).toContain('ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true overrides');
    }
    expect(await gate({ ALLOW_DEPLOY_WHILE_BREAKER_OPEN: 'true' })).toMatchObject({ code: 0, out: expect.stringContaining('breaker gate skipped') });
  });

  it('the key comes from the breaker app itself: a rotated pipeline copy cannot lock the gate; the copy is the fallback', async () => {
    status = 'closed';
    expect((await gate({})).code).toBe(0);
    expect((await gate({ AZ_KEYS: 'fail', BREAKER_STATUS_KEY: KEY })).code).toBe(0);
    expect((await gate({ AZ_KEYS: 'fail', BREAKER_STATUS_KEY: 'stale-key' })).code).not.toBe(0);
  });

  it('fails closed: an az error, a failed last deployment, an unreadable state', async () => {
    status = 'closed';
    const throttled = await gate({ AZ_FAIL: '1' });
    expect(throttled.code).not.toBe(0);
    expect(throttled.out).toContain('az failed');
    const failed = await gate({ AZ_DEPLOYMENT: 'Failed' });
    expect(failed.code).not.toBe(0);
    expect(failed.out).toContain("the last deployment telemetry-main is 'Failed'");
  });

  it('an unknown state refuses too: a wrong key (401) or no answer', async () => {
    status = 'closed';
    expect((await gate({ AZ_STATUS_KEY: 'stale-key' })).code).not.toBe(0);
    const closedPort = await new Promise<number>((resolve) => {
      const s = http.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const silent = await gate({ AZ_BREAKER_HOST: `127.0.0.1:${closedPort}` });
    expect(silent.code).not.toBe(0);
    expect(silent.out).toContain("the breaker's state is unknown");
  });

  it('a first deploy (no resource group, no deployment, no breaker, a breaker without a package) is not held back', async () => {
    status = 'open';
    expect(await gate({ AZ_GROUP_EXISTS: 'false' })).toMatchObject({ code: 0, out: expect.stringContaining('does not exist yet') });
    expect(await gate({ AZ_DEPLOYMENT: 'missing' })).toMatchObject({ code: 0, out: expect.stringContaining('no deployment telemetry-main yet') });
    expect(await gate({ AZ_BREAKER_HOST: '' })).toMatchObject({ code: 0, out: expect.stringContaining('the deployment has no circuit breaker') });
    expect(await gate({ AZ_KEYS: 'notfound' })).toMatchObject({ code: 0, out: expect.stringContaining('no package yet') });
  });

  it('the pipeline runs the gate before the template deploy and before an ingestion deploy, and never gives PR runs the secrets', async () => {
    const yaml = await readFile(path.join(WORKSPACE_ROOT, 'azure-pipelines.yml'), 'utf8');
    const infraStage = yaml.slice(yaml.indexOf('- stage: Infra'), yaml.indexOf('- stage: Deploy'));
    expect(infraStage.indexOf('breaker_gate')).toBeGreaterThan(0);
    expect(infraStage.indexOf('breaker_gate')).toBeLessThan(infraStage.indexOf('az deployment group create'));
    const deployStage = yaml.slice(yaml.indexOf('- stage: Deploy'));
    expect(deployStage.indexOf('breaker_gate "$rg"')).toBeGreaterThan(0);
    expect(deployStage.indexOf('breaker_gate "$rg"')).toBeLessThan(deployStage.indexOf('az functionapp deploy'));
    // The secret group only in stages that run on main; the PR what-if on its own connection, with throwaway values.
    const beforeStages = yaml.slice(0, yaml.indexOf('stages:'));
    expect(beforeStages).not.toMatch(/- group: telemetry-deploy-secrets/);
    const preview = yaml.slice(yaml.indexOf('- stage: InfraPreview'), yaml.indexOf('- stage: Infra\n'));
    expect(preview).toContain('$(azurePreviewServiceConnection)');
    expect(preview).not.toMatch(/breakerApprovalSigningKey\)|breakerStatusKey\)|telemetry-deploy-secrets/);
  });
});
