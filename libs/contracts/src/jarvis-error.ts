import { ErrorCode, isErrorCode } from './error-codes';

/** What an error looks like on the wire (NATS reply `err`, HTTP `error`). */
export interface ErrorPayload {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

/** Base of every typed error in the suite: it carries a string code that crosses processes. */
export class JarvisError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }

  toPayload(): ErrorPayload {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  /** Rebuilds an error received over NATS; anything unrecognised becomes an internal error. */
  static fromPayload(payload: unknown): JarvisError {
    if (payload && typeof payload === 'object') {
      const { code, message, details } = payload as Record<string, unknown>;
      if (isErrorCode(code) && typeof message === 'string') {
        return new JarvisError(code, message, details);
      }
    }
    return new JarvisError(ErrorCode.Internal, 'Downstream app answered with an unknown error');
  }
}

export class ValidationError extends JarvisError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.ValidationFailed, message, details);
  }
}

export class NotFoundError extends JarvisError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.NotFound, message, details);
  }
}

export class ActionFailedError extends JarvisError {
  constructor(message: string, details?: unknown) {
    super(ErrorCode.ActionFailed, message, details);
  }
}

export class DownstreamTimeoutError extends JarvisError {
  constructor(subject: string, timeoutMs: number) {
    super(ErrorCode.DownstreamTimeout, `No answer on ${subject} within ${timeoutMs} ms`);
  }
}

export class DownstreamUnavailableError extends JarvisError {
  constructor(subject: string) {
    super(ErrorCode.DownstreamUnavailable, `No app is listening on ${subject}`);
  }
}
