import { CI_GROUPS, describeMatrixAtCiSize } from './ci-matrix';

describeMatrixAtCiSize('network, checkpoint store, clocks', CI_GROUPS.network);
