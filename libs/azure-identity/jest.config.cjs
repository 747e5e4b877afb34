module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-identity', rootDir: __dirname };
