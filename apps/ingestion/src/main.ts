import { registerAppHooks } from '@telemetry/function-app-kit';
import './functions/ingestTelemetry';
import { ingestionServices } from './services';

registerAppHooks(ingestionServices);
