// One worker per CI-size matrix group (src/ci-matrix.ts CI_GROUPS): each group runs on its own
// stack and mostly waits out its faults, so the groups run side by side rather than one after another.
module.exports = { ...require('../../jest.preset.cjs'), displayName: 'fault-matrix', rootDir: __dirname, maxWorkers: 4,
  testSequencer: require.resolve('./jest.sequencer.cjs') };
