import { registerAppHooks } from '@telemetry/function-app-kit';
import './functions/getDevice';
import './functions/listDevices';
import './functions/opsSummary';
import './functions/reportHubLag';
import { deviceStatusServices } from './services';

registerAppHooks(deviceStatusServices);
