import { z } from 'zod';
import {
  booleanVar,
  enumVar,
  integerVar,
  optionalMoneyVar,
  optionalUrlVar,
  portVar,
  serverListVar,
  urlVar,
} from './env-fields';
import { AiConfig, aiConfigOf, aiEnvFields } from './ai-config';
import { HealthTargetSetting, healthTargetsVar } from './health-targets-var';
import { TaskQueueConfig, taskQueueConfigOf, taskQueueEnvFields } from './task-queue-config';

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/jarvis';
export const DEFAULT_NATS_URL = 'nats://127.0.0.1:4222';

/**
 * Every environment variable the suite reads, validated once at start.
 * The README's variable table mirrors this schema.
 */
export const envSchema = z.object({
  NODE_ENV: enumVar(['development', 'production', 'test'], 'development'),
  LOG_LEVEL: enumVar(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
  LOG_FILE: z.string().trim().min(1).optional(),
  JARVIS_STATE_DIR: z.string().trim().min(1).optional(),
  DATABASE_URL: urlVar(DEFAULT_DATABASE_URL, ['postgres', 'postgresql']),
  NATS_URL: serverListVar(DEFAULT_NATS_URL, ['nats', 'tls', 'ws', 'wss']),
  NATS_SUBJECT_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{0,32}$/, 'must be up to 32 letters, digits, "_" or "-"')
    .optional(),
  NATS_REQUEST_TIMEOUT_MS: integerVar(5000, 50, 600_000),
  GATEWAY_PORT: portVar(4000),
  ORCHESTRATOR_PORT: portVar(4001),
  HEALTH_PORT: portVar(4002),
  HISTORY_PORT: portVar(4003),
  JARVIS_ADMIN_API_KEY: z
    .string()
    .min(16, 'must be at least 16 characters')
    .max(256, 'must be at most 256 characters')
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
  SHUTDOWN_TIMEOUT_MS: integerVar(10_000, 0, 600_000),
  CIRCUIT_BREAKER_ENABLED: booleanVar(true),
  CIRCUIT_BREAKER_FAILURE_THRESHOLD: integerVar(5, 1, 1000),
  CIRCUIT_BREAKER_TIMEOUT_MS: integerVar(60_000, 1, 86_400_000),
  HEALTH_TARGETS: healthTargetsVar(),
  HEALTH_CHECK_INTERVAL_MS: integerVar(30_000, 100, 86_400_000),
  TASK_HISTORY_RETENTION_DAYS: integerVar(90, 1, 36_500),
  DAILY_AI_BUDGET: optionalMoneyVar(),
  WEEKLY_AI_BUDGET: optionalMoneyVar(),
  MONTHLY_AI_BUDGET: optionalMoneyVar(),
  ...aiEnvFields,
  ...taskQueueEnvFields,
  HTTP_AGENT_BASE_URL: optionalUrlVar(['http', 'https']),
  HTTP_AGENT_TIMEOUT_MS: integerVar(30_000, 100, 600_000),
});

export type JarvisEnv = z.infer<typeof envSchema>;

export interface JarvisConfig {
  nodeEnv: JarvisEnv['NODE_ENV'];
  log: { level: JarvisEnv['LOG_LEVEL']; file?: string };
  /** Where `npm start` keeps an embedded PostgreSQL's data and a NATS store it started. */
  stateDir?: string;
  databaseUrl: string;
  nats: { servers: string[]; subjectPrefix: string; requestTimeoutMs: number };
  ports: { gateway: number; orchestrator: number; health: number; history: number };
  adminApiKey?: string;
  shutdownTimeoutMs: number;
  circuitBreaker: { enabled: boolean; failureThreshold: number; resetTimeoutMs: number };
  /** What the health app checks (besides the suite's own apps) and how often. */
  health: { targets: HealthTargetSetting[]; checkIntervalMs: number };
  taskHistoryRetentionDays: number;
  aiBudgets: { daily?: string; weekly?: string; monthly?: string };
  ai: AiConfig;
  tasks: TaskQueueConfig;
  /** The backend the built-in `http` agent calls; the agent is offered only when it is set. */
  httpAgent: { baseUrl?: string; timeoutMs: number };
}

/** Injection token of the validated configuration. */
export const JARVIS_CONFIG = Symbol('JARVIS_CONFIG');

/** Thrown when an environment variable is invalid; its message is one line naming the variable. */
export class ConfigError extends Error {}

export function loadConfig(env: Record<string, string | undefined>): JarvisConfig {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const variable = String(issue.path[0] ?? 'environment');
    throw new ConfigError(`Invalid configuration: ${variable} ${issue.message}`);
  }
  const e = parsed.data;
  return {
    nodeEnv: e.NODE_ENV,
    log: { level: e.LOG_LEVEL, file: e.LOG_FILE },
    stateDir: e.JARVIS_STATE_DIR,
    databaseUrl: e.DATABASE_URL,
    nats: {
      servers: e.NATS_URL,
      subjectPrefix: e.NATS_SUBJECT_PREFIX ?? '',
      requestTimeoutMs: e.NATS_REQUEST_TIMEOUT_MS,
    },
    ports: {
      gateway: e.GATEWAY_PORT,
      orchestrator: e.ORCHESTRATOR_PORT,
      health: e.HEALTH_PORT,
      history: e.HISTORY_PORT,
    },
    adminApiKey: e.JARVIS_ADMIN_API_KEY,
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    circuitBreaker: {
      enabled: e.CIRCUIT_BREAKER_ENABLED,
      failureThreshold: e.CIRCUIT_BREAKER_FAILURE_THRESHOLD,
      resetTimeoutMs: e.CIRCUIT_BREAKER_TIMEOUT_MS,
    },
    health: { targets: e.HEALTH_TARGETS, checkIntervalMs: e.HEALTH_CHECK_INTERVAL_MS },
    taskHistoryRetentionDays: e.TASK_HISTORY_RETENTION_DAYS,
    aiBudgets: {
      daily: e.DAILY_AI_BUDGET,
      weekly: e.WEEKLY_AI_BUDGET,
      monthly: e.MONTHLY_AI_BUDGET,
    },
    ai: aiConfigOf(e),
    tasks: taskQueueConfigOf(e),
    httpAgent: { baseUrl: e.HTTP_AGENT_BASE_URL, timeoutMs: e.HTTP_AGENT_TIMEOUT_MS },
  };
}
