module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'circuit-breaker',
  rootDir: __dirname,
  // @azure/functions warns once per registration outside the Functions runtime ("test mode").
  setupFiles: ['<rootDir>/src/testing/quiet-test-mode.cjs'],
};
