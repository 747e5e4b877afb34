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

import { app } from '@azure/functions';
import { shutdownBreakerServices } from './services';

app.hook.appTerminate(() => shutdownBreakerServices());
