export * from './aggregate';
export * from './clock';
export * from './domain.errors';
export * from './ids';
export * from './days';
