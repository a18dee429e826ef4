import type { NextFunction, Request, Response } from 'express';
import { ClsMiddleware } from 'nestjs-cls';
import { CORRELATION_HEADER } from '@jarvis/contracts';
import { correlationIdFrom } from './correlation-context';

/**
 * Opens the correlation context of an HTTP request and echoes its ID.
 * Mounted with `app.use()` before the body parser, so that even a request
 * whose body cannot be parsed is answered with its correlation ID.
 */
export function httpCorrelationMiddleware(): (
  req: Request,
  res: Response,
  next: NextFunction,
) => void {
  const middleware = new ClsMiddleware({
    generateId: true,
    idGenerator: (req: Request) => correlationIdFrom(req.headers[CORRELATION_HEADER]),
    setup: (cls, _req: Request, res: Response) => {
      res.setHeader(CORRELATION_HEADER, cls.getId());
    },
  });
  return (req, res, next) => void middleware.use(req, res, next);
}
