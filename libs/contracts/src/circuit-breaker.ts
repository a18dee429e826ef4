import { z } from 'zod';
import { APP_NAMES, AppName } from './apps';
import { ErrorCode } from './error-codes';
import { JarvisError } from './jarvis-error';
import { defineEvent, defineRequest } from './request-contract';

export const CIRCUIT_STATES = ['CLOSED', 'OPEN', 'HALF_OPEN'] as const;
export type CircuitState = (typeof CIRCUIT_STATES)[number];

/** A breaker name is a path segment of the REST API and a log field: keep it plain. */
export const BREAKER_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$/;
export const breakerNameSchema = z
  .string()
  .regex(BREAKER_NAME_PATTERN, 'must be 1-100 letters, digits, ".", "_", ":" or "-"');

/** How a breaker looks from outside its app (REST `GET /api/v1/circuit-breakers`). */
export interface CircuitBreakerStatus {
  /** The app that owns the breaker. */
  service: AppName;
  name: string;
  state: CircuitState;
  /** Failures since the circuit was last healthy: consecutive in CLOSED, the trip count while OPEN. */
  failureCount: number;
  /** Successful trials in the current HALF_OPEN period. */
  successCount: number;
  lastFailureAt: string | null;
  lastError: string | null;
  /** When an OPEN circuit lets its next trial call through. */
  nextAttemptAt: string | null;
}

/** Longest error text a transition carries: enough to diagnose, small enough for every message. */
export const BREAKER_ERROR_MAX_LENGTH = 500;

const epochMs = z.number().int().min(0);

/**
 * A breaker changed state in one instance. Every instance of the same app follows
 * the announcement when its `version` is newer than the one it holds.
 */
export const circuitStateChangedSchema = z.object({
  app: z.enum(APP_NAMES),
  /** The announcing instance: it ignores its own announcements. */
  instanceId: z.string().min(1).max(128),
  name: breakerNameSchema,
  state: z.enum(CIRCUIT_STATES),
  previousState: z.enum(CIRCUIT_STATES).nullable(),
  failureCount: z.number().int().min(0),
  successCount: z.number().int().min(0),
  openedAt: epochMs.nullable(),
  nextAttemptAt: epochMs.nullable(),
  lastFailureAt: epochMs.nullable(),
  lastError: z.string().max(BREAKER_ERROR_MAX_LENGTH).nullable(),
  /** The row version in `<schema>.circuit_breaker_state` this state was written as. */
  version: z.number().int().min(1),
  changedAt: epochMs,
});

export type CircuitStateChangedEvent = z.infer<typeof circuitStateChangedSchema>;

export const CircuitStateChanged = defineEvent<CircuitStateChangedEvent>(
  'circuit.state_changed.v1',
);

export interface BreakersListReply {
  app: AppName;
  breakers: CircuitBreakerStatus[];
}

/** Every app answers in its own queue group: one gather collects the breakers of the suite. */
export const BreakersList = defineRequest<Record<string, never>, BreakersListReply>(
  'breakers.list.v1',
);

export const breakersResetSchema = z.object({ name: breakerNameSchema });
export type BreakersResetCommand = z.infer<typeof breakersResetSchema>;

export interface BreakersResetReply {
  app: AppName;
  /** Null when this app has no breaker of that name. */
  status: CircuitBreakerStatus | null;
}

/** Every app that owns the named breaker closes it on all of its instances. */
export const BreakersReset = defineRequest<BreakersResetCommand, BreakersResetReply>(
  'breakers.reset.v1',
);

/** A call refused at once because its breaker is OPEN, or HALF_OPEN with every trial slot taken. */
export class CircuitOpenError extends JarvisError {
  constructor(
    readonly breaker: string,
    readonly state: Exclude<CircuitState, 'CLOSED'>,
    failureCount: number,
    nextAttemptAt: number | null,
  ) {
    super(
      ErrorCode.CircuitOpen,
      state === 'OPEN'
        ? `Circuit breaker ${breaker} is OPEN (${failureCount} failures)`
        : `Circuit breaker ${breaker} is HALF_OPEN and its trial calls are all in flight`,
      {
        breaker,
        state,
        failureCount,
        nextAttemptAt: nextAttemptAt === null ? null : new Date(nextAttemptAt).toISOString(),
      },
    );
  }
}

/** A call behind a breaker took longer than the breaker's per-call timeout; counts as a failure. */
export class CircuitCallTimeoutError extends JarvisError {
  constructor(breaker: string, timeoutMs: number) {
    super(
      ErrorCode.DownstreamTimeout,
      `Call through circuit breaker ${breaker} took longer than ${timeoutMs} ms`,
      { breaker, timeoutMs },
    );
  }
}
