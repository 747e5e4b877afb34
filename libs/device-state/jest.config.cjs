module.exports = { ...require('../../jest.preset.cjs'), displayName: 'device-state', rootDir: __dirname };
