import { CI_GROUPS, describeMatrixAtCiSize } from './ci-matrix';

describeMatrixAtCiSize('killed and restarted processes, rebalance', CI_GROUPS.processes);
