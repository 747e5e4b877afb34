module.exports = { ...require('../../jest.preset.cjs'), displayName: 'suite-checks', rootDir: __dirname };
