import { checkStorageConnectionString, resolveTarget } from './target';

describe('dlq target: a storage connection string that is not one', () => {
  it.each(['garbage', 'AccountName=acct', 'AccountName=acct;Key=abc', '=x;y'])('%s is refused with a code, before any SDK call, and never quoted', (value) => {
    expect(() => resolveTarget({ storageConnectionString: value }, {})).toThrow(expect.objectContaining({ code: 'STORAGE_CONNECTION_INVALID' }));
    try {
      checkStorageConnectionString(value);
    } catch (error) {
      expect((error as Error).message).not.toContain(value);
    }
  });

  it.each([
    'DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net',
    'UseDevelopmentStorage=true',
    'BlobEndpoint=https://acct.blob.core.windows.net/;QueueEndpoint=https://acct.queue.core.windows.net/;SharedAccessSignature=sv=2024&sig=x',
  ])('%s is taken', (value) => {
    expect(() => checkStorageConnectionString(value)).not.toThrow();
  });
});
