import { CI_GROUPS, describeMatrixAtCiSize } from './ci-matrix';
import { SCENARIOS } from './scenarios';

describe('the CI-size matrix', () => {
  it('runs every registered scenario exactly once across its spec files', () => {
    const grouped = Object.values(CI_GROUPS).flat();
    expect([...grouped].sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});

describeMatrixAtCiSize('shared stack', CI_GROUPS.core, { withAuditCheck: true });
