export * from './background-workers';
export * from './bootstrap';
export * from './config';
export * from './health.controller';
export * from './logging';
export * from './metrics';
export * from './platform.module';
export * from './tokens';
