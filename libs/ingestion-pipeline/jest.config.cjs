module.exports = { ...require('../../jest.preset.cjs'), displayName: 'ingestion-pipeline', rootDir: __dirname };
