import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { Database } from '@thihanh/event-store';
import { IdempotencyInterceptor } from './idempotency.interceptor';
import { HTTP_DATABASE, IdempotencyStore } from './idempotency.store';

/**
 * Idempotency-Key handling on every command route (the filter and the pipe come from
 * configureHttpApp). Needs HTTP_DATABASE from a global module: the service's database, with
 * HTTP_MIGRATIONS applied.
 */
@Module({
  providers: [
    { provide: IdempotencyStore, inject: [HTTP_DATABASE], useFactory: (db: Database) => new IdempotencyStore(db) },
    { provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor },
  ],
  exports: [IdempotencyStore],
})
export class HttpConventionsModule {}
