import { eventHubInput } from './eventhub-trigger-data';

const bodies = [Buffer.from('{"a":1}'), Buffer.from('"text"')];

describe('eventHubInput (what the host sends the Node worker)', () => {
  it('binary: raw bytes, as a collection for many', () => {
    expect(eventHubInput(bodies, 'many', 'binary')).toEqual({ collectionBytes: { bytes: bodies } });
    expect(eventHubInput([bodies[0]!], 'one', 'binary')).toEqual({ bytes: bodies[0] });
  });

  it('string: UTF-8 text (the library then JSON-parses what parses)', () => {
    expect(eventHubInput(bodies, 'many', 'string')).toEqual({ collectionString: { string: ['{"a":1}', '"text"'] } });
    expect(eventHubInput([Buffer.from('hi')], 'one', undefined)).toEqual({ string: 'hi' });
  });

  it('no dataType with many: JSON bodies only, otherwise a binding error', () => {
    expect(eventHubInput(bodies, 'many', undefined)).toEqual({ json: '[{"a":1},"text"]' });
    expect(() => eventHubInput([Buffer.from([0xff, 0x00])], 'many', undefined)).toThrow(/not valid JSON/);
  });
});
