import { z } from 'zod';
import { integerVar } from './env-fields';

/** The variables of the task queue, its agents and `execute`. */
export const taskQueueEnvFields = {
  TASK_ACK_WAIT_MS: integerVar(30_000, 1000, 3_600_000),
  TASK_RETRY_DELAY_MS: integerVar(1000, 10, 600_000),
  TASK_TIMEOUT_MS: integerVar(600_000, 100, 86_400_000),
  TASK_DECISION_TIMEOUT_MS: integerVar(1000, 50, 60_000),
  TASK_RECONCILE_INTERVAL_MS: integerVar(30_000, 100, 3_600_000),
  TASK_MAX_IN_FLIGHT_PER_DOMAIN: integerVar(1000, 1, 100_000),
  AGENT_CONCURRENCY: integerVar(16, 1, 10_000),
  AGENT_HEARTBEAT_INTERVAL_MS: integerVar(5000, 100, 600_000),
  EXECUTE_TIMEOUT_MS: integerVar(61_000, 100, 3_600_000),
};

type TaskQueueEnv = z.infer<z.ZodObject<typeof taskQueueEnvFields>>;

export interface TaskQueueConfig {
  /** A delivered task with no ack or progress for this long is delivered again. */
  ackWaitMs: number;
  /** First delay before a failed attempt runs again; it doubles per attempt (at most 5 min). */
  retryDelayMs: number;
  /** A queued run longer than this is aborted and counts as a failed attempt. */
  timeoutMs: number;
  /** How long a submit waits for history's stats before it goes ahead without them. */
  decisionTimeoutMs: number;
  /** How often tasks whose queue message went missing are looked for and queued again. */
  reconcileIntervalMs: number;
  /** Deliveries of one domain and priority awaiting an ack, over all its agents. */
  maxInFlightPerDomain: number;
  /** Built-in agents: tasks each runs at the same time. */
  agentConcurrency: number;
  agentHeartbeatIntervalMs: number;
  /** How long `execute` lets an action run. */
  executeTimeoutMs: number;
}

export function taskQueueConfigOf(env: TaskQueueEnv): TaskQueueConfig {
  return {
    ackWaitMs: env.TASK_ACK_WAIT_MS,
    retryDelayMs: env.TASK_RETRY_DELAY_MS,
    timeoutMs: env.TASK_TIMEOUT_MS,
    decisionTimeoutMs: env.TASK_DECISION_TIMEOUT_MS,
    reconcileIntervalMs: env.TASK_RECONCILE_INTERVAL_MS,
    maxInFlightPerDomain: env.TASK_MAX_IN_FLIGHT_PER_DOMAIN,
    agentConcurrency: env.AGENT_CONCURRENCY,
    agentHeartbeatIntervalMs: env.AGENT_HEARTBEAT_INTERVAL_MS,
    executeTimeoutMs: env.EXECUTE_TIMEOUT_MS,
  };
}
