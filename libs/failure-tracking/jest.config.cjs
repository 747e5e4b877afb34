module.exports = { ...require('../../jest.preset.cjs'), displayName: 'failure-tracking', rootDir: __dirname };
