import { isSecretName, redactSecrets } from './redact';

describe('redactSecrets', () => {
  it.each([
    ['DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=Eby8vdM02xNOcq==;BlobEndpoint=x', 'DefaultEndpointsProtocol=http;AccountName=dev;AccountKey=***;BlobEndpoint=x'],
    ['Endpoint=sb://h/;SharedAccessKeyName=Root;SharedAccessKey=abc123=;EntityPath=t', 'Endpoint=sb://h/;SharedAccessKeyName=Root;SharedAccessKey=***;EntityPath=t'],
    ['GET https://a.blob.core.windows.net/c?sv=2024&sig=AbC%2Bd&se=1 failed', 'GET https://a.blob.core.windows.net/c?sv=2024&sig=***&se=1 failed'],
    ['authorization: Bearer eyJhbGciOi.x.y', 'authorization: Bearer ***'],
    ['https://app/api/resume?code=hostkey123', 'https://app/api/resume?code=***'],
  ])('masks %s', (input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ordinary text alone', () => {
    expect(redactSecrets('device drone-00042 battery 0.87')).toBe('device drone-00042 battery 0.87');
  });

  it('recognises credential-like property names', () => {
    expect(['apiKey', 'SAS', 'Authorization', 'connectionString', 'token'].every(isSecretName)).toBe(true);
    expect(['deviceId', 'source', 'firmware'].some(isSecretName)).toBe(false);
  });
});
