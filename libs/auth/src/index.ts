export * from './auth.decorators';
export * from './auth.errors';
export * from './auth.guard';
export * from './auth.module';
export * from './roles';
export * from './token';
