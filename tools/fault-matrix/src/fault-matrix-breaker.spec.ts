import { CI_GROUPS, describeMatrixAtCiSize } from './ci-matrix';

describeMatrixAtCiSize('stack with the circuit breaker', CI_GROUPS.breaker, { breaker: true });
