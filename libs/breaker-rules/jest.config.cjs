module.exports = { ...require('../../jest.preset.cjs'), displayName: 'circuit-breaker-domain', rootDir: __dirname };
