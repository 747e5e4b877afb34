module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-cosmos', rootDir: __dirname };
