import { IncomingMessage, ServerResponse } from 'node:http';
import { uuidv7 } from '@thihanh/domain';
import { Params } from 'nestjs-pino';

const CORRELATION_HEADERS = ['x-correlation-id', 'x-request-id'];
const SAFE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's correlation id if it sent a sane one, else a new one; echoed in the response. */
export function correlationIdOf(req: IncomingMessage, res?: ServerResponse): string {
  let id = CORRELATION_HEADERS.map((h) => req.headers[h]).find((v): v is string => typeof v === 'string' && SAFE_ID.test(v));
  id ??= uuidv7();
  res?.setHeader('x-correlation-id', id);
  return id;
}

/** JSON logs (pino), one line per request with its correlation id; credentials never logged. */
export function loggerParams(service: string, level: string): Params {
  return {
    pinoHttp: {
      level,
      base: { service },
      genReqId: (req, res) => correlationIdOf(req, res),
      customProps: (req) => ({ correlationId: (req as IncomingMessage & { id?: string }).id }),
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '[redacted]' },
      autoLogging: { ignore: (req) => req.url === '/health' || req.url === '/metrics' },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({ id: req.id, method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
  };
}
