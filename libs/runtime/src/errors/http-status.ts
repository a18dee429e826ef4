import { HttpStatus } from '@nestjs/common';
import { ErrorCode } from '@jarvis/contracts';

/** The one place where an error code becomes an HTTP status. */
export function httpStatusOf(code: ErrorCode): HttpStatus {
  switch (code) {
    case ErrorCode.ValidationFailed:
      return HttpStatus.BAD_REQUEST;
    case ErrorCode.Unauthorized:
      return HttpStatus.UNAUTHORIZED;
    case ErrorCode.Forbidden:
      return HttpStatus.FORBIDDEN;
    case ErrorCode.NotFound:
      return HttpStatus.NOT_FOUND;
    case ErrorCode.Conflict:
      return HttpStatus.CONFLICT;
    case ErrorCode.ActionFailed:
      return HttpStatus.UNPROCESSABLE_ENTITY;
    case ErrorCode.CircuitOpen:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.DownstreamTimeout:
      return HttpStatus.GATEWAY_TIMEOUT;
    case ErrorCode.DownstreamUnavailable:
      return HttpStatus.SERVICE_UNAVAILABLE;
    case ErrorCode.BudgetExceeded:
      return HttpStatus.PAYMENT_REQUIRED;
    case ErrorCode.Internal:
      return HttpStatus.INTERNAL_SERVER_ERROR;
  }
}

/** For errors Nest or Express raise themselves (404 route, 413 body, 400 bad JSON…). */
export function errorCodeOfStatus(status: number): ErrorCode {
  if (status === 400 || status === 413 || status === 415 || status === 422)
    return ErrorCode.ValidationFailed;
  if (status === 401) return ErrorCode.Unauthorized;
  if (status === 403) return ErrorCode.Forbidden;
  if (status === 404 || status === 405) return ErrorCode.NotFound;
  if (status === 409) return ErrorCode.Conflict;
  if (status === 503) return ErrorCode.DownstreamUnavailable;
  if (status === 504) return ErrorCode.DownstreamTimeout;
  return ErrorCode.Internal;
}
