import { registerAppHooks } from '@telemetry/function-app-kit';
import './functions/reprocessDeadLetter';
import './functions/parkPoisonedDeadLetter';
import './functions/reprocessorStats';
import './functions/rehomePoisonCopies';
import { reprocessorServices } from './services';

registerAppHooks(reprocessorServices);
