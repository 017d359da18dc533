import { DynamicModule, INestApplication, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp } from '@thihanh/http';
import { Logger } from 'nestjs-pino';
import { ServiceConfig } from './config';

/** Creates, configures and starts a service's HTTP app; shuts down cleanly on SIGTERM/SIGINT. */
export async function bootstrapService(
  module: Type<unknown> | DynamicModule,
  config: ServiceConfig,
  api: { title: string; description?: string; version?: string },
): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(module, { bufferLogs: true, bodyParser: false });
  app.disable('x-powered-by');
  app.useLogger(app.get(Logger));
  configureHttpApp(app, { title: api.title, version: api.version ?? '1', bodyLimit: config.BODY_LIMIT });
  app.enableShutdownHooks();
  await app.listen(config.PORT, '0.0.0.0');
  return app;
}
