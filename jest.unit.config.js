// Unit tests: no database, no broker. Files named *.spec.ts beside the code.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'unit',
  testMatch: ['<rootDir>/{libs,services,test,tools}/**/*.spec.ts'],
  testPathIgnorePatterns: ['/node_modules/', '\\.int\\.spec\\.ts$', '\\.fault\\.spec\\.ts$'],
};
