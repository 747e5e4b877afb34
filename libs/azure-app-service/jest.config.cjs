module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-app-service', rootDir: __dirname };
