module.exports = { ...require('../../jest.preset.cjs'), displayName: 'fault-matrix', rootDir: __dirname };
