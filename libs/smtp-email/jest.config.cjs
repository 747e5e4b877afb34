module.exports = { ...require('../../jest.preset.cjs'), displayName: 'smtp-email', rootDir: __dirname };
