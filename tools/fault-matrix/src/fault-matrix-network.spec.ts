import { CI_GROUPS, describeMatrixAtCiSize } from './ci-matrix';

describeMatrixAtCiSize('network, checkpoint store, clocks, soak', CI_GROUPS.network);
