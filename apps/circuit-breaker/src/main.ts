import './functions/breakerEntity';
import './functions/breakerEpisode';
import './functions/pauseIngestion';
import './functions/resumeIngestion';
import './functions/notifyOperator';
import './functions/readFailureWindow';
import './functions/monitorFailures';
import './functions/breakerStatus';
import './functions/approveResume';
import './functions/tripBreaker';
import './functions/breakerSummary';

import { registerAppHooks } from '@telemetry/function-app-kit';
import { breakerServices } from './services';

registerAppHooks(breakerServices);
