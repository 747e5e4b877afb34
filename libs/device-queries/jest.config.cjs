module.exports = { ...require('../../jest.preset.cjs'), displayName: 'device-queries', rootDir: __dirname };
