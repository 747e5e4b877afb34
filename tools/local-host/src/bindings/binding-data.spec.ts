import { bindingDataOf, resolveBindingExpression } from './binding-data';

describe('binding expressions (webjobs BindingTemplate rules)', () => {
  const http = bindingDataOf(
    { http: { params: { id: 'a1' }, query: { page: '2' }, body: { bytes: Buffer.from('{"device":{"name":"d7"},"id":"body-id"}') } } },
    undefined,
    'fn',
  );

  it('takes route parameters, then query, then JSON body properties, case-insensitively and by path', () => {
    expect(resolveBindingExpression('c/{ID}/{page}/{device.Name}.json', http, 'fn.out')).toBe('c/a1/2/d7.json');
  });

  it('reads trigger metadata (a queue message Id wins over the JSON body id) and system values', () => {
    const queue = bindingDataOf({ string: '{"id":"from-body","name":"n1"}' }, { Id: { string: 'msg-9' }, DequeueCount: { int: 1 } }, 'worker');
    expect(resolveBindingExpression('{id}/{name}/{dequeueCount}/{sys.methodName}', queue, 'worker.out')).toBe('msg-9/n1/1/worker');
    expect(resolveBindingExpression('{rand-guid}', queue, 'x')).toMatch(/^[0-9a-f-]{36}$/);
    expect(resolveBindingExpression('{DateTime}', queue, 'x')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z$/);
  });

  it('fails the binding when an expression has no value', () => {
    expect(() => resolveBindingExpression('c/{missing}', http, 'fn.out')).toThrow(/No value for named parameter 'missing'/);
  });
});
