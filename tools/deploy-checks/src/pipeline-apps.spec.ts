import { parseMainBicep } from './main-bicep';
import { parsePipelineApps } from './pipeline-apps';

describe('parsePipelineApps', () => {
  it('reads the apps parameter list, names and kinds', () => {
    const yaml = ['parameters:', '  - name: apps', '    type: object', '    default:', '      - name: ingestion', '        kind: functionapp', '      # the site', '      - name: dashboard', '        kind: static', '  - name: other', '    type: string'].join('\n');
    expect(parsePipelineApps(yaml)).toEqual([
      { name: 'ingestion', kind: 'functionapp' },
      { name: 'dashboard', kind: 'static' },
    ]);
  });

  it('fails on a list it cannot read', () => {
    expect(() => parsePipelineApps('parameters:\n  - name: apps\n    default:\n      - ingestion\n')).toThrow(/unexpected in the apps list/);
    expect(() => parsePipelineApps('stages: []')).toThrow(/no "- name: apps" parameter/);
  });
});

describe('parseMainBicep', () => {
  it('lists wired app modules and the functionApps output keys', () => {
    const src = ["module a 'apps/ingestion.bicep' = {", "module b 'modules/x.bicep' = {", 'output functionApps object = {', '  ingestion: a.outputs.name', "  'device-status': b.outputs.name", '}'].join('\n');
    expect(parseMainBicep(src)).toEqual({ modules: ['ingestion'], functionAppOutputs: ['device-status', 'ingestion'] });
  });
});
