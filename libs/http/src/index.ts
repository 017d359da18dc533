export * from './configure-http-app';
export * from './http-conventions.module';
export * from './http.migrations';
export * from './idempotency.interceptor';
export * from './idempotency.store';
export * from './problem-details.filter';
export * from './validation.pipe';
export * from './version-headers';
