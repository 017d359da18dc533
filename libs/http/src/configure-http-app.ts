import { BadRequestException, HttpException, INestApplication, PayloadTooLargeException } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { ProblemDetailsFilter } from './problem-details.filter';
import { createValidationPipe } from './validation.pipe';

export interface HttpAppOptions {
  title: string;
  version: string;
  /** Largest accepted request body (JSON or form), in the `bytes` notation: '1mb', '100kb'. */
  bodyLimit?: string;
}

/** Call after NestFactory.create and before listen()/init(): parsers must be in place before Nest adds its defaults. */
export function configureHttpApp(app: INestApplication, { title, version, bodyLimit = '1mb' }: HttpAppOptions): void {
  const express = app as NestExpressApplication;
  express.useBodyParser('json', { limit: bodyLimit });
  express.useBodyParser('urlencoded', { limit: bodyLimit, extended: true });
  app.use(bodyParserErrors);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());

  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle(title).setVersion(version).addBearerAuth().addSecurityRequirements('bearer').build(),
  );
  // Swagger serves these straight from the HTTP adapter, outside Nest's router, so the auth guard
  // never sees them: they are public without @Public().
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'openapi.json' });
}

/**
 * Body-parser failures arrive before any route. Nest would turn malformed JSON into a bare 400 and
 * an oversized body into a 500, so they get their codes here and the filter renders them.
 */
function bodyParserErrors(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  if (typeof type !== 'string' || typeof status !== 'number') return next(error);
  if (type === 'entity.parse.failed') {
    return next(new BadRequestException({ code: 'HTTP.MALFORMED_JSON', message: 'The request body is not valid JSON' }));
  }
  if (type === 'entity.too.large') {
    return next(new PayloadTooLargeException({ code: 'HTTP.PAYLOAD_TOO_LARGE', message: 'The request body is too large' }));
  }
  next(new HttpException({ code: 'HTTP.UNREADABLE_BODY', message: 'The request body could not be read' }, status));
}
