module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-communication-email', rootDir: __dirname };
