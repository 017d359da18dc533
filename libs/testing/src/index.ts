export * from './builders';
export * from './services';
export * from './test-database';
export * from './docx';
export * from './unit-of-work-contract';
