module.exports = { ...require('../../jest.preset.cjs'), displayName: 'reprocessing', rootDir: __dirname };
