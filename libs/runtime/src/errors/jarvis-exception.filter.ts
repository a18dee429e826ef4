import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, throwError } from 'rxjs';
import { ErrorCode, ErrorPayload, JarvisError } from '@jarvis/contracts';
import { currentCorrelationId } from '@jarvis/observability';
import { errorCodeOfStatus, httpStatusOf } from './http-status';

/**
 * Every failure leaves an app in one shape: over HTTP
 * `{"success": false, "error": {code, message, details?, correlationId}}`,
 * over NATS the `{code, message, details?}` payload. Unexpected errors are logged
 * and answered as `INTERNAL` without their stack.
 */
@Catch()
export class JarvisExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger(JarvisExceptionFilter.name);

  catch(exception: unknown, host: ArgumentsHost): Observable<never> | void {
    const { payload, status } = this.describe(exception);
    if (host.getType() === 'rpc') return throwError(() => payload);
    const response = host.switchToHttp().getResponse<Response>();
    if (response.headersSent) return;
    response.status(status).json({
      success: false,
      error: { ...payload, correlationId: currentCorrelationId() ?? null },
    });
  }

  private describe(exception: unknown): { payload: ErrorPayload; status: number } {
    if (exception instanceof JarvisError) {
      return { payload: exception.toPayload(), status: httpStatusOf(exception.code) };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const body = exception.getResponse();
      const message =
        typeof body === 'object' && body !== null && 'message' in body
          ? String((body as { message: unknown }).message)
          : exception.message;
      if (status >= 500) this.logger.error({ err: exception }, 'HTTP exception');
      return { payload: { code: errorCodeOfStatus(status), message }, status };
    }
    if (isBodyParserError(exception)) {
      return {
        payload: {
          code: ErrorCode.ValidationFailed,
          message: `Request body is not valid: ${exception.message}`,
        },
        status: exception.status,
      };
    }
    this.logger.error({ err: exception }, 'Unhandled error');
    return {
      payload: { code: ErrorCode.Internal, message: 'Internal error' },
      status: httpStatusOf(ErrorCode.Internal),
    };
  }
}

function isBodyParserError(error: unknown): error is Error & { status: number } {
  const status = (error as { status?: unknown } | null)?.status;
  return error instanceof Error && typeof status === 'number' && status >= 400 && status < 500;
}
