module.exports = { ...require('../../jest.preset.cjs'), displayName: 'http-adapters', rootDir: __dirname };
