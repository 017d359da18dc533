import { DynamicModule, InjectionToken, Module, ModuleMetadata } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AUTH_OPTIONS, AuthGuard, AuthOptions } from './auth.guard';
import { checkKeys } from './token';

export interface AuthAsyncOptions {
  imports?: ModuleMetadata['imports'];
  inject?: InjectionToken[];
  useFactory: (...args: never[]) => AuthOptions | Promise<AuthOptions>;
}

/** Puts AuthGuard in front of every route of the application (APP_GUARD is global wherever it is provided). */
@Module({})
export class AuthModule {
  static forRoot(options: AuthOptions): DynamicModule {
    checkKeys(options.keys);
    return AuthModule.forRootAsync({ useFactory: () => options });
  }

  static forRootAsync({ imports = [], inject = [], useFactory }: AuthAsyncOptions): DynamicModule {
    return {
      module: AuthModule,
      imports,
      providers: [
        {
          provide: AUTH_OPTIONS,
          inject,
          useFactory: async (...args: never[]) => {
            const options = await useFactory(...args);
            checkKeys(options.keys); // fail at start, not at the first request
            return options;
          },
        },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
