import { BadRequestException, HttpException, INestApplication, PayloadTooLargeException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { isUtf8 } from 'node:buffer';
import { ProblemDetailsFilter } from './problem-details.filter';
import { RequestShapeInterceptor } from './request-shape.interceptor';
import { createValidationPipe } from './validation.pipe';

export interface HttpAppOptions {
  title: string;
  version: string;
  /** Largest accepted JSON request body, in the `bytes` notation: '1mb', '100kb'. */
  bodyLimit?: string;
}

/** Call after NestFactory.create and before listen()/init(): parsers must be in place before Nest adds its defaults. */
export function configureHttpApp(app: INestApplication, { title, version, bodyLimit = '1mb' }: HttpAppOptions): void {
  const express = app as NestExpressApplication;
  // JSON only: no route takes a form, and the request-shape interceptor refuses bodies a route does not consume.
  express.useBodyParser('json', { limit: bodyLimit, verify: utf8Only });
  app.use(bodyParserErrors);
  app.useGlobalFilters(new ProblemDetailsFilter());
  app.useGlobalPipes(createValidationPipe());
  app.useGlobalInterceptors(new RequestShapeInterceptor(app.get(Reflector)));

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
  if (type === 'entity.not.utf8') {
    return next(new BadRequestException({ code: 'HTTP.INVALID_UTF8', message: 'The request body is not valid UTF-8' }));
  }
  if (type === 'entity.too.large') {
    return next(new PayloadTooLargeException({ code: 'HTTP.PAYLOAD_TOO_LARGE', message: 'The request body is too large' }));
  }
  next(new HttpException({ code: 'HTTP.UNREADABLE_BODY', message: 'The request body could not be read' }, status));
}

/** Decoding would turn bytes that are not UTF-8 into U+FFFD silently, and store them so. */
function utf8Only(_req: unknown, _res: unknown, body: Buffer, encoding: string): void {
  if (encoding.toLowerCase().replace('-', '') === 'utf8' && !isUtf8(body)) {
    throw Object.assign(new Error('The request body is not valid UTF-8'), { status: 400, type: 'entity.not.utf8' });
  }
}
