import { readFileSync } from 'node:fs';
import path from 'node:path';
import { BREAKER_STATUS_FUNCTION } from '@telemetry/contracts';
import { allResources, readBicepFile } from './bicep-file';
import { INFRA_ROOT, infraFiles } from './infra-files';

const pipeline = readFileSync(path.join(INFRA_ROOT, '..', 'azure-pipelines.yml'), 'utf8');

describe("the reprocessor's breaker key (least authority)", () => {
  it('no template creates a host function key: a host key opens every function-level route of an app (POST /api/breaker/trip too)', async () => {
    for (const file of infraFiles('.bicep')) {
      const types = allResources(await readBicepFile(file)).map((r) => r.type.toLowerCase());
      expect({ file, hostKeys: types.filter((t) => t === 'microsoft.web/sites/host/functionkeys') }).toEqual({ file, hostKeys: [] });
    }
  });

  it("the pipeline sets it as a key of the breaker's status function alone, after that function is deployed, from the secret mapped in", () => {
    const set = /az functionapp function keys set[^\n]*--function-name (\S+)[^\n]*\\\n\s*--key-name status-readers --key-value "\$BREAKER_STATUS_KEY"/.exec(pipeline);
    expect(set?.[1]).toBe(BREAKER_STATUS_FUNCTION);
    // Only after the package is deployed and smoke-checked (the host's keys API answers 404 before).
    expect(pipeline.indexOf(set![0])).toBeGreaterThan(pipeline.indexOf('if smoke; then'));
    expect(pipeline).toMatch(/BREAKER_STATUS_KEY: \$\(breakerStatusKey\)/);
  });
});
