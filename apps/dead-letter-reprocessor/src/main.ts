import { app } from '@azure/functions';
import './functions/reprocessDeadLetter';
import './functions/parkPoisonedDeadLetter';
import './functions/reprocessorStats';
import { shutdownReprocessorServices } from './services';

app.hook.appTerminate(() => shutdownReprocessorServices());
