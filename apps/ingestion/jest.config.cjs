module.exports = { ...require('../../jest.preset.cjs'), displayName: 'ingestion', rootDir: __dirname };
