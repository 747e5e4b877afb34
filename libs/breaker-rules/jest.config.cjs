module.exports = { ...require('../../jest.preset.cjs'), displayName: 'breaker-rules', rootDir: __dirname };
