import type { FaultScenario } from '../fault-scenario';
import { breakerTrip } from './breaker-trip';
import { cosmosBlackhole, storageBlackhole } from './blackhole';
import { checkpointStoreDown } from './checkpoint-store-down';
import { clockSkew } from './clock-skew';
import { cosmosDown, throttleStorm } from './cosmos-down';
import { deadLetterQueueDown } from './dead-letter-queue-down';
import { emulatorRestart, rebalance } from './host-faults';
import { hostKilled } from './host-sigkill';
import { emulatorKilled } from './emulator-sigkill';
import { soak } from './soak';
import { hostileInputs } from './hostile-inputs';
import { outOfOrder } from './out-of-order';
import { switchFailure } from './switch-failure';

/**
 * The fault matrix, in run order (the breaker's scenarios run on their own stack). A scenario's
 * seed follows its index: new ones go last, so the rows already published keep their event streams.
 */
export const SCENARIOS: FaultScenario[] = [
  hostileInputs, outOfOrder, cosmosDown, throttleStorm, deadLetterQueueDown, hostKilled, emulatorRestart, emulatorKilled, rebalance,
  cosmosBlackhole, checkpointStoreDown, clockSkew, soak, breakerTrip, switchFailure, storageBlackhole,
];
