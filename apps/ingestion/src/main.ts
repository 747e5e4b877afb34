import './functions/ingestTelemetry';
