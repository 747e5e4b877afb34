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
    // `az group exists` -> $AZ_GROUP_EXISTS; `az deployment group show ... -o tsv` -> $AZ_BREAKER_HOST.
    await writeFile(path.join(bin, 'az'), '#!/usr/bin/env bash\ncase "$1 $2" in\n  "group exists") echo "${AZ_GROUP_EXISTS:-true}" ;;\n  "deployment group") echo "${AZ_BREAKER_HOST:-}" ;;\n  *) echo "unexpected az $*" >&2; exit 2 ;;\nesac\n');
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
          BREAKER_GATE_SCHEME: 'http', BREAKER_GATE_RETRY_DELAY: '0', AZ_BREAKER_HOST: `127.0.0.1:${port}`, BREAKER_STATUS_KEY: KEY, ...env,
        },
      }, (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, out: `${stdout}${stderr}` }));
    });
  }

  it('passes when the breaker is closed, refuses open and half-open with the reason and the override', async () => {
    status = 'closed';
    expect(await gate({})).toMatchObject({ code: 0, out: expect.stringContaining('the circuit breaker is closed') });
    for (const s of ['open', 'half-open']) {
      status = s;
      const refused = await gate({});
      expect(refused.code).not.toBe(0);
      expect(refused.out).toContain(`the circuit breaker is '${s}'`);
      expect(refused.out).toContain('ALLOW_DEPLOY_WHILE_BREAKER_OPEN=true overrides');
    }
    expect(await gate({ ALLOW_DEPLOY_WHILE_BREAKER_OPEN: 'true' })).toMatchObject({ code: 0, out: expect.stringContaining('breaker gate skipped') });
  });

  it('an unknown state refuses too: a wrong key (401) or no answer', async () => {
    status = 'closed';
    expect((await gate({ BREAKER_STATUS_KEY: 'stale-key' })).code).not.toBe(0);
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

  it('a first deploy (no resource group, or no breaker yet) is not held back', async () => {
    status = 'open';
    expect(await gate({ AZ_GROUP_EXISTS: 'false' })).toMatchObject({ code: 0, out: expect.stringContaining('does not exist yet') });
    expect(await gate({ AZ_BREAKER_HOST: '' })).toMatchObject({ code: 0, out: expect.stringContaining('no circuit breaker deployed yet') });
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
