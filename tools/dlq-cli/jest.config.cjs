module.exports = { ...require('../../jest.preset.cjs'), displayName: 'dlq-cli', rootDir: __dirname };
