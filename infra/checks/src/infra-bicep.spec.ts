import { readFileSync } from 'node:fs';
import path from 'node:path';
import { apiVersionErrors } from './azure-api-versions';
import { guidLiterals, guidTokens, roleIdErrors } from './azure-role-ids';
import { readBicepFile, type BicepFile } from './bicep-file';
import { moduleErrors } from './bicep-modules';
import { unresolvedReferences } from './bicep-references';
import { syntaxErrors } from './bicep-syntax';
import { INFRA_ROOT, infraFiles } from './infra-files';

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
    it('uses only resource types and API versions Azure publishes', async () => {
      expect(apiVersionErrors(await load(file))).toEqual([]);
    });
  });

  it('every GUID literal is well-formed and a documented role id, named after its role', async () => {
    const literals = (await Promise.all(files.map(load))).flatMap(guidLiterals);
    const json = infraFiles('.json').flatMap((f) => guidTokens(readFileSync(f, 'utf8'), f));
    expect(literals.length).toBeGreaterThan(0);
    expect(roleIdErrors([...literals, ...json])).toEqual([]);
  });
});
