module.exports = { ...require('../../jest.preset.cjs'), displayName: 'function-app-kit', rootDir: __dirname };
