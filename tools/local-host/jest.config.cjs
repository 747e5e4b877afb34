module.exports = { ...require('../../jest.preset.cjs'), displayName: 'local-host', rootDir: __dirname };
