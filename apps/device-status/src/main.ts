import { registerAppHooks } from '@telemetry/function-app-kit';
import './functions/getDevice';
import './functions/listDevices';
import './functions/opsSummary';
import { deviceStatusServices } from './services';

registerAppHooks(deviceStatusServices);
