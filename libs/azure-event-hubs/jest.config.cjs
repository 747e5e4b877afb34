module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-event-hubs', rootDir: __dirname };
