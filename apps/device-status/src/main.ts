import './functions/getDevice';
import './functions/listDevices';
import './functions/opsSummary';
import './functions/resumeBreaker';
