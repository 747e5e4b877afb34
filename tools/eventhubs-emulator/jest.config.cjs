module.exports = { ...require('../../jest.preset.cjs'), displayName: 'eventhubs-emulator', rootDir: __dirname };
