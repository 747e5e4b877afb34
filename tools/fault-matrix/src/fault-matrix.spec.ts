import { CI_GROUPS, describeMatrixAtCiSize, NOT_AT_CI_SIZE } from './ci-matrix';
import { SCENARIOS } from './scenarios';

describe('the CI-size matrix', () => {
  it('runs every registered scenario exactly once across its spec files, except those named with a reason', () => {
    const grouped = Object.values(CI_GROUPS).flat();
    expect([...grouped, ...Object.keys(NOT_AT_CI_SIZE)].sort()).toEqual(SCENARIOS.map((s) => s.id).sort());
    expect(new Set(grouped).size).toBe(grouped.length);
  });
});

describeMatrixAtCiSize('shared stack', CI_GROUPS.core, { withAuditCheck: true });
