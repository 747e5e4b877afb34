import { isLocalEmulator } from './local-emulator';

describe('isLocalEmulator', () => {
  it.each([
    'UseDevelopmentStorage=true',
    'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=x==;BlobEndpoint=http://127.0.0.1:41234/devstoreaccount1;TableEndpoint=http://127.0.0.1:41236/devstoreaccount1;',
    'http://127.0.0.1:48081/',
    'http://localhost:48081',
    'https://[::1]:443/',
  ])('local: %s', (value) => expect(isLocalEmulator(value)).toBe(true));

  it.each([
    'DefaultEndpointsProtocol=https;AccountName=prod;AccountKey=x==;EndpointSuffix=core.windows.net',
    'https://acct.documents.azure.com:443/',
    'https://localhost.example.com/',
    'https://example.com/?next=http://127.0.0.1.example.com/',
  ])('not local: %s', (value) => expect(isLocalEmulator(value)).toBe(false));
});
