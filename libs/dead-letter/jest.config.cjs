module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dead-letter', rootDir: __dirname };
