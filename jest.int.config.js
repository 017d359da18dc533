// Integration tests against real PostgreSQL and Kafka: *.int.spec.ts. Each file gets its own database.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'integration',
  testMatch: ['<rootDir>/{libs,services,test,tools}/**/*.int.spec.ts'],
  testTimeout: 120_000,
  maxWorkers: 2,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};
