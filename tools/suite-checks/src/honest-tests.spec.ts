import path from 'node:path';
import { findInSpec, findInWorkspace, specFiles } from './honest-tests';

const ROOT = path.resolve(__dirname, '..', '..', '..');

// This project's test target also depends on the fault matrix's (project.json): nx starts first
// the tasks others wait on, so the suite's longest task starts with it instead of after every lib.
describe('honest tests: nothing focused, nothing skipped', () => {
  it('no spec in the workspace focuses or skips a test', () => {
    expect(specFiles(ROOT).length).toBeGreaterThan(100);
    expect(findInWorkspace(ROOT)).toEqual([]);
  });

  // Fixtures are assembled at run time, so this file does not trip the scan it tests.
  const call = (head: string, tail: string): string => [head, tail].join('');
  it.each([
    [call('it.on', "ly('x', () => {});"), 'focused'],
    [call('describe.on', "ly('x', () => {});"), 'focused'],
    [call('test.each([1]).on', "ly('x %s', () => {});"), 'focused'],
    [call('  f', "it('x', () => {});"), 'focused'],
    [call('f', "describe('x', () => {});"), 'focused'],
    [call('it.sk', "ip('x', () => {});"), 'skipped'],
    [call('describe.sk', "ip('x', () => {});"), 'skipped'],
    [call('x', "it('x', () => {});"), 'skipped'],
    [call('x', "describe('x', () => {});"), 'skipped'],
    [call('it.to', "do('x');"), 'skipped'],
  ])('finds %s', (line, rule) => {
    expect(findInSpec('a.spec.ts', `import x from 'y';\n${line}\n`)).toEqual([{ file: 'a.spec.ts', line: 2, rule, text: line.trim() }]);
  });

  it.each([
    ["it('only the owner may write', () => {});"],
    ["const profit = fit2('x');"],
    [call('// it.on', 'ly( is not allowed')],
    ["expect(skip('x')).toBe(1);"],
    ['await benefit(client);'],
  ])('leaves alone %s', (line) => {
    expect(findInSpec('a.spec.ts', line)).toEqual([]);
  });
});
