import { app } from '@azure/functions';
import './functions/ingestTelemetry';
import { shutdownIngestionServices } from './services';

app.hook.appTerminate(() => shutdownIngestionServices());
