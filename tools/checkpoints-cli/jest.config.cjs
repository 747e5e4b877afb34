module.exports = { ...require('../../jest.preset.cjs'), displayName: 'checkpoints-cli', rootDir: __dirname };
