import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiVersionErrors } from './azure-api-versions';
import { guidLiterals, guidTokens, roleIdErrors } from './azure-role-ids';
import { readBicepFile, type BicepFile } from './bicep-file';
import { memberPathErrors } from './bicep-member-paths';
import { moduleErrors } from './bicep-modules';
import { unresolvedReferences } from './bicep-references';
import { syntaxErrors } from './bicep-syntax';
import { INFRA_ROOT, infraFiles } from './infra-files';
import { evaluate, fileScope, type Value } from './bicep-literal';
import { constraintViolations } from './param-constraints';

const files = infraFiles('.bicep');
const parsed = new Map<string, Promise<BicepFile>>();
const load = (file: string): Promise<BicepFile> => {
  if (!parsed.has(file)) parsed.set(file, readBicepFile(file));
  return parsed.get(file)!;
};
const rel = (file: string): string => path.relative(INFRA_ROOT, file);

describe('infra/**/*.bicep, read with the tree-sitter Bicep grammar', () => {
  it('finds the Bicep files (main, modules, apps)', () => {
    expect(files.map(rel)).toEqual(expect.arrayContaining(['main.bicep', 'modules/rbac.bicep', 'apps/ingestion.bicep']));
  });

  describe.each(files.map((f) => [rel(f), f]))('%s', (_name, file) => {
    it('parses without a syntax error', async () => {
      expect(syntaxErrors(await load(file))).toEqual([]);
    });
    it('references only declared parameters, variables, resources, modules and functions', async () => {
      expect(unresolvedReferences(await load(file))).toEqual([]);
    });
    it('calls modules with exactly their parameters and reads only outputs they declare', async () => {
      expect(await moduleErrors(await load(file), load)).toEqual([]);
    });
    it('gives parameters defaults their own decorators allow', async () => {
      const bicep = await load(file);
      const violations = [...bicep.params.values()].flatMap((p) => {
        const value = p.node.children.some((c) => c?.type === '=') ? p.node.namedChildren.at(-1) : undefined;
        return value ? constraintViolations(bicep, p, evaluate(value, fileScope(bicep))).map((v) => `${p.name}: ${v}`) : [];
      });
      expect(violations).toEqual([]);
    });
    it('uses only resource types and API versions Azure publishes', async () => {
      expect(apiVersionErrors(await load(file))).toEqual([]);
    });
  });

  it('every member read on an object the templates fix exists (variables, and module parameters main.bicep passes down)', async () => {
    expect(await memberPathErrors(await load(path.join(INFRA_ROOT, 'main.bicep')), load)).toEqual([]);
  });

  it('every GUID literal is well-formed and a documented role id, named after its role', async () => {
    const literals = (await Promise.all(files.map(load))).flatMap(guidLiterals);
    const json = infraFiles('.json').flatMap((f) => guidTokens(readFileSync(f, 'utf8'), f));
    expect(literals.length).toBeGreaterThan(0);
    expect(roleIdErrors([...literals, ...json])).toEqual([]);
  });

  it('main.parameters.json and the pipeline pass only parameters main.bicep declares, and every required one', async () => {
    const main = await load(path.join(INFRA_ROOT, 'main.bicep'));
    const fileParams = Object.keys((JSON.parse(readFileSync(path.join(INFRA_ROOT, 'main.parameters.json'), 'utf8')) as { parameters: object }).parameters);
    const pipeline = readFileSync(path.join(INFRA_ROOT, '..', 'azure-pipelines.yml'), 'utf8');
    const calls = [...pipeline.matchAll(/--parameters environmentName=[\s\S]*?(?:\)\n|--result-format)/g)].map((m) => [...m[0].matchAll(/(\w+)="/g)].map((p) => p[1]!));
    expect(calls.length).toBeGreaterThanOrEqual(2); // PR preview and deploy
    for (const name of fileParams) expect({ name, declared: main.params.has(name) }).toEqual({ name, declared: true });
    const values = (JSON.parse(readFileSync(path.join(INFRA_ROOT, 'main.parameters.json'), 'utf8')) as { parameters: Record<string, { value: Value }> }).parameters;
    const violations = Object.entries(values).flatMap(([name, { value }]) => (main.params.has(name) ? constraintViolations(main, main.params.get(name)!, value).map((v) => `${name}: ${v}`) : []));
    expect(violations).toEqual([]);
    for (const passed of calls) {
      for (const name of passed) expect({ name, declared: main.params.has(name) }).toEqual({ name, declared: true });
      const given = new Set([...fileParams, ...passed]);
      const missing = [...main.params.values()].filter((p) => p.required && !given.has(p.name)).map((p) => p.name);
      expect(missing).toEqual([]);
    }
  });
});
