import { parseRouteTemplate } from './route-template';

describe('parseRouteTemplate', () => {
  it('matches literals case-insensitively and captures parameters', () => {
    expect(parseRouteTemplate('items/{id}').match('Items/42')).toEqual({ id: '42' });
    expect(parseRouteTemplate('items/{id}').match('items')).toBeUndefined();
    expect(parseRouteTemplate('items/{id}').match('items/1/2')).toBeUndefined();
  });

  it('applies constraints and optional parameters', () => {
    const t = parseRouteTemplate('devices/{id:int}/{kind:alpha?}');
    expect(t.match('devices/7')).toEqual({ id: '7' });
    expect(t.match('devices/7/temp')).toEqual({ id: '7', kind: 'temp' });
    expect(t.match('devices/x')).toBeUndefined();
    expect(t.match('devices/7/t3')).toBeUndefined();
    expect(parseRouteTemplate('a/{n:min(3)}').match('a/2')).toBeUndefined();
    expect(parseRouteTemplate('a/{n:regex(^d-\\d+$)}').match('a/d-12')).toEqual({ n: 'd-12' });
  });

  it('supports catch-all parameters', () => {
    expect(parseRouteTemplate('files/{*path}').match('files/a/b/c')).toEqual({ path: 'a/b/c' });
  });
});
