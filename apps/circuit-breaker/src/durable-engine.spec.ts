import { readFileSync } from 'node:fs';
import path from 'node:path';
import { durableTesting } from './testing';

// Canary for the internal replay entry points the replay tests use (see testing/durable-internals.ts).
describe('durable-functions engine entry points', () => {
  it('is the pinned version and still exposes the testing utilities', () => {
    const pkg = JSON.parse(readFileSync(path.join(path.dirname(require.resolve('durable-functions/package.json')), 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe('3.5.0');
    expect(typeof durableTesting.createOrchestrator).toBe('function');
    expect(typeof durableTesting.createEntityFunction).toBe('function');
    expect(typeof durableTesting.DummyOrchestrationContext).toBe('function');
    expect(typeof durableTesting.DummyEntityContext).toBe('function');
  });
});
