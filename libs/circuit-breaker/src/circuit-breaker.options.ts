/** How one breaker behaves; the defaults come from the app's configuration. */
export interface CircuitBreakerOptions {
  /** False: calls pass straight through, outcomes are still counted and reported. */
  enabled: boolean;
  /** Consecutive failures in CLOSED that open the circuit. */
  failureThreshold: number;
  /** How long an OPEN circuit refuses calls before it lets a trial through. */
  resetTimeoutMs: number;
  /** Consecutive successful trials in HALF_OPEN that close the circuit. */
  successThreshold: number;
  /** Trial calls allowed at once in HALF_OPEN; the others are refused at once. */
  halfOpenMaxConcurrent: number;
  /** A call still running after this long fails with a timeout (which counts as a failure). */
  callTimeoutMs?: number;
  /** Which errors count as failures (default: all). An error that does not count means the dependency answered. */
  isFailure?: (error: unknown) => boolean;
}

/** The suite-wide defaults (`CIRCUIT_BREAKER_*`); the rest have fixed defaults. */
export interface CircuitBreakerDefaults {
  enabled: boolean;
  failureThreshold: number;
  resetTimeoutMs: number;
  successThreshold?: number;
  halfOpenMaxConcurrent?: number;
}

export const DEFAULT_SUCCESS_THRESHOLD = 2;
export const DEFAULT_HALF_OPEN_MAX_CONCURRENT = 1;

export function resolveBreakerOptions(
  defaults: CircuitBreakerDefaults,
  overrides: Partial<CircuitBreakerOptions> = {},
): CircuitBreakerOptions {
  const options: CircuitBreakerOptions = {
    enabled: defaults.enabled,
    failureThreshold: defaults.failureThreshold,
    resetTimeoutMs: defaults.resetTimeoutMs,
    successThreshold: defaults.successThreshold ?? DEFAULT_SUCCESS_THRESHOLD,
    halfOpenMaxConcurrent: defaults.halfOpenMaxConcurrent ?? DEFAULT_HALF_OPEN_MAX_CONCURRENT,
    ...withoutUndefined(overrides),
  };
  requireWhole('failureThreshold', options.failureThreshold, 1);
  requireWhole('resetTimeoutMs', options.resetTimeoutMs, 1);
  requireWhole('successThreshold', options.successThreshold, 1);
  requireWhole('halfOpenMaxConcurrent', options.halfOpenMaxConcurrent, 1);
  if (options.callTimeoutMs !== undefined) requireWhole('callTimeoutMs', options.callTimeoutMs, 1);
  return options;
}

function requireWhole(option: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min) {
    throw new RangeError(`Circuit breaker option ${option} must be a whole number >= ${min}`);
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(value).filter(([, entry]) => entry !== undefined),
  ) as Partial<T>;
}
