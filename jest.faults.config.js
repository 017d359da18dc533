// Fault tests (`npm run test:faults`, issue 9): services killed, the broker and PostgreSQL taken away,
// bad input and every route × role, against real PostgreSQL and Kafka. Files: *.fault.spec.ts.
// One file at a time: several of them stop and start processes, brokers and proxies of their own.
module.exports = {
  ...require('./jest.preset'),
  displayName: 'faults',
  testMatch: ['<rootDir>/{libs,services,test,tools}/**/*.fault.spec.ts'],
  testTimeout: 180_000,
  maxWorkers: 1,
  globalSetup: '<rootDir>/libs/testing/src/global-setup.ts',
  globalTeardown: '<rootDir>/libs/testing/src/global-teardown.ts',
};
