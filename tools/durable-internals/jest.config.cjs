module.exports = { ...require('../../jest.preset.cjs'), displayName: 'durable-internals', rootDir: __dirname };
