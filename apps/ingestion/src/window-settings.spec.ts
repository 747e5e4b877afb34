import { ConfigError, silentLogger } from '@telemetry/core';
import { OrphanedWatermarks } from '@telemetry/ingestion-pipeline';
import { createIngestionServices } from './services';

// Connection strings in the shapes the hosts give; nothing here opens a connection.
const storage = 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5a2V5a2V5a2V5;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1;QueueEndpoint=http://127.0.0.1:9/devstoreaccount1;TableEndpoint=http://127.0.0.1:9/devstoreaccount1';
const env = {
  COSMOS_ENDPOINT: 'https://127.0.0.1:9/', COSMOS_KEY: 'a2V5', DeadLetterStorage: storage, AzureWebJobsStorage: storage,
  EventHubConnection: 'Endpoint=sb://127.0.0.1:9/;SharedAccessKeyName=listen;SharedAccessKey=a2V5;EntityPath=telemetry',
  EventHubName: 'telemetry',
  // What apps/ingestion/local.settings.example.json and a Basic-tier hub (only $Default) give.
  EventHubConsumerGroup: '$Default',
};

describe('the ingestion window and the consumer group it reads again on', () => {
  it('with the window off, a trigger on $Default still ingests: nothing needs the reader group unless a windowed run left a watermark', async () => {
    const services = createIngestionServices(env, { logger: silentLogger });
    expect(services.writeBehind).toBeUndefined();
    await expect(services.orphanedWatermarks!()).resolves.toBeInstanceOf(OrphanedWatermarks);
    await services.stopWriteBehind?.();
  });

  it('with the window on, the reader group being the trigger\'s is refused at start, naming the setting', () => {
    expect(() => createIngestionServices({ ...env, INGESTION_WINDOW_SECONDS: '4.5' }, { logger: silentLogger })).toThrow(ConfigError);
    expect(() => createIngestionServices({ ...env, INGESTION_WINDOW_SECONDS: '4.5', EventHubReaderConsumerGroup: '$default' }, { logger: silentLogger })).toThrow(/EventHubReaderConsumerGroup: '\$default' is the trigger's consumer group/);
    const services = createIngestionServices({ ...env, INGESTION_WINDOW_SECONDS: '4.5', EventHubReaderConsumerGroup: 'replay' }, { logger: silentLogger });
    expect(services.writeBehind).toBeDefined();
  });
});
