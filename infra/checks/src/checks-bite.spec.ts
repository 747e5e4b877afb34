import path from 'node:path';
import { apiVersionErrors } from './azure-api-versions';
import { guidLiterals, roleIdErrors } from './azure-role-ids';
import { readBicepFile } from './bicep-file';
import { memberPathErrors } from './bicep-member-paths';
import { moduleErrors } from './bicep-modules';
import { unresolvedReferences } from './bicep-references';
import { syntaxErrors } from './bicep-syntax';

const fixture = (name: string): string => path.join(__dirname, '..', 'fixtures', name);

/** Every check on one file, as the infra spec runs them. */
async function allErrors(name: string): Promise<string[]> {
  const file = await readBicepFile(fixture(name));
  return [
    ...syntaxErrors(file),
    ...unresolvedReferences(file),
    ...(await moduleErrors(file, readBicepFile)),
    ...(await memberPathErrors(file, readBicepFile)),
    ...apiVersionErrors(file),
    ...roleIdErrors(guidLiterals(file)),
  ];
}

describe('the Bicep checks bite', () => {
  it('a valid file and module pass every check (the broken fixtures differ from it)', async () => {
    expect(await allErrors('valid.bicep')).toEqual([]);
    expect(await allErrors('valid-module.bicep')).toEqual([]);
  });

  it('a syntax error fails', async () => {
    const errors = syntaxErrors(await readBicepFile(fixture('syntax-error.bicep')));
    expect(errors).toEqual([expect.stringMatching(/syntax-error\.bicep:\d+:\d+: (missing|syntax error)/)]);
  });

  it('one-line items without a comma fail (the grammar accepts them, Bicep does not)', async () => {
    const errors = syntaxErrors(await readBicepFile(fixture('missing-comma.bicep')));
    expect(errors).toEqual([
      expect.stringMatching(/missing-comma\.bicep:2:\d+: missing comma between array items on one line/),
      expect.stringMatching(/missing-comma\.bicep:3:\d+: missing comma between object items on one line/),
    ]);
  });

  it('a dangling reference fails: type, parameter, variable, nested resource, function', async () => {
    const errors = unresolvedReferences(await readBicepFile(fixture('dangling-reference.bicep')));
    expect(errors).toEqual([
      expect.stringContaining('unknown type strng'),
      expect.stringContaining('unknown symbol storageName'),
      expect.stringContaining('unknown symbol locaton'),
      expect.stringContaining('account::queues: no nested resource queues in account'),
      expect.stringContaining('unknown function uniqString()'),
    ]);
  });

  it('a mismatched module call fails: unknown parameter, value outside @allowed, missing required parameter, missing output', async () => {
    const errors = await moduleErrors(await readBicepFile(fixture('mismatched-module.bicep')), readBicepFile);
    expect(errors).toEqual([
      expect.stringContaining('valid-module.bicep declares no parameter containerName'),
      expect.stringContaining('publicAccess: "Container" is not one of @allowed ["None","Blob"]'),
      expect.stringContaining('required parameter containerNames of valid-module.bicep is not passed'),
      expect.stringContaining('child.outputs.lastContainer: valid-module.bicep has no output lastContainer'),
    ]);
  });

  it('a dangling member fails: on an object variable, and on an object a caller passes to a module', async () => {
    const errors = await memberPathErrors(await readBicepFile(fixture('dangling-member.bicep')), readBicepFile);
    expect(errors).toEqual([
      expect.stringMatching(/dangling-member\.bicep:\d+:\d+: names has no member deadLeterQueue$/),
      expect.stringMatching(/member-module\.bicep:\d+:\d+: settings\.endpoints has no member queue \(as called by .*dangling-member\.bicep/),
    ]);
  });

  it('an unknown API version or resource type fails', async () => {
    const errors = apiVersionErrors(await readBicepFile(fixture('unknown-api-version.bicep')));
    expect(errors).toEqual([
      expect.stringContaining('Microsoft.Storage/storageAccounts@2023-13-01 is not a published API version'),
      expect.stringContaining('Microsoft.Storage/storageAccounts/gadgets is not a resource type in the published table'),
    ]);
  });

  it('a malformed GUID, an undocumented role id and a role id under the wrong name fail', async () => {
    const errors = roleIdErrors(guidLiterals(await readBicepFile(fixture('bad-role-ids.bicep'))));
    expect(errors).toEqual([
      expect.stringContaining('0a9a7e1f-b9d0-4cc4-a60d-0319b160ff3 is not a GUID (35 characters'),
      expect.stringContaining('11111111-2222-3333-4444-555555555555 is not a documented built-in role id'),
      expect.stringContaining('storageBlobDataReader holds the id of Storage Blob Data Contributor'),
    ]);
  });
});
