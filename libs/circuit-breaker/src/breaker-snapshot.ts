import { BREAKER_ERROR_MAX_LENGTH, CircuitState } from '@jarvis/contracts';

/**
 * The part of a breaker's state that every instance of an app shares: what is
 * written to `circuit_breaker_state` and announced on a transition. Times are epoch ms.
 */
export interface BreakerSnapshot {
  name: string;
  state: CircuitState;
  failureCount: number;
  successCount: number;
  openedAt: number | null;
  nextAttemptAt: number | null;
  lastFailureAt: number | null;
  lastError: string | null;
  /** The row version this state was written as; 0 while it has never been written. */
  version: number;
}

/** Why a breaker changed state. */
export type TransitionReason =
  /** CLOSED: `failureThreshold` consecutive failures. */
  | 'failure-threshold'
  /** OPEN: `resetTimeoutMs` passed and a call arrived. */
  | 'retry-due'
  /** HALF_OPEN: a trial call failed. */
  | 'trial-failed'
  /** HALF_OPEN: `successThreshold` trials succeeded. */
  | 'trials-succeeded'
  | 'reset'
  /** Another instance of the app changed it first. */
  | 'followed';

export interface BreakerTransition {
  name: string;
  from: CircuitState;
  to: CircuitState;
  reason: TransitionReason;
  at: number;
  snapshot: BreakerSnapshot;
}

export type TransitionListener = (transition: BreakerTransition) => void;

/** How calls through one breaker ended, counted since it was created. */
export interface CallCounts {
  success: number;
  failure: number;
  timeout: number;
  /** Refused at once: OPEN, or HALF_OPEN with every trial slot taken. */
  rejected: number;
  /** Failed with an error the breaker's predicate does not count. */
  ignored: number;
}

export const CALL_OUTCOMES = ['success', 'failure', 'timeout', 'rejected', 'ignored'] as const;

export function describeError(error: unknown): string {
  const text = error instanceof Error ? error.message || error.name : String(error);
  return text.length > BREAKER_ERROR_MAX_LENGTH ? text.slice(0, BREAKER_ERROR_MAX_LENGTH) : text;
}

export function isoOrNull(epochMs: number | null): string | null {
  return epochMs === null ? null : new Date(epochMs).toISOString();
}
