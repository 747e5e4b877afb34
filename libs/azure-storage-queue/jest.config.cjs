module.exports = { ...require('../../jest.preset.cjs'), displayName: 'azure-storage-queue', rootDir: __dirname };
