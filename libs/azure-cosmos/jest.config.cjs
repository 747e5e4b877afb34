module.exports = { ...require('../../jest.preset.cjs'), displayName: 'cosmos-repository', rootDir: __dirname };
