import { registerAppHooks } from '@telemetry/function-app-kit';
import './functions/reprocessDeadLetter';
import './functions/parkPoisonedDeadLetter';
import './functions/reprocessorStats';
import { reprocessorServices } from './services';

registerAppHooks(reprocessorServices);
