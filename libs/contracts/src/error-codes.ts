/**
 * Error codes that survive a hop over NATS (`instanceof` does not).
 * The gateway maps each to an HTTP status in one exhaustive switch.
 */
export enum ErrorCode {
  ValidationFailed = 'VALIDATION_FAILED',
  Unauthorized = 'UNAUTHORIZED',
  Forbidden = 'FORBIDDEN',
  NotFound = 'NOT_FOUND',
  Conflict = 'CONFLICT',
  ActionFailed = 'ACTION_FAILED',
  CircuitOpen = 'CIRCUIT_OPEN',
  DownstreamTimeout = 'DOWNSTREAM_TIMEOUT',
  DownstreamUnavailable = 'DOWNSTREAM_UNAVAILABLE',
  /** An AI budget period is spent and `AI_BUDGET_POLICY=block`. */
  BudgetExceeded = 'BUDGET_EXCEEDED',
  Internal = 'INTERNAL',
}

const KNOWN_CODES = new Set<string>(Object.values(ErrorCode));

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && KNOWN_CODES.has(value);
}
