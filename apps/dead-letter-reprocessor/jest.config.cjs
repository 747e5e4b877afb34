module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dead-letter-reprocessor', rootDir: __dirname };
