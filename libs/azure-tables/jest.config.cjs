module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-tables', rootDir: __dirname };
