module.exports = { ...require('../../jest.preset.cjs'), displayName: 'device-status', rootDir: __dirname };
