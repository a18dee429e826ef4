import { z } from 'zod';
import { defineRequest } from './request-contract';
import { identifierSchema, jsonObjectSchema } from './schemas';

/**
 * A domain names the module or agent family that ran something (`diagnostics`,
 * `system-health`, `music-production`). It is a subject token, so it may not hold
 * dots, spaces or wildcards.
 */
export const executionDomainSchema = identifierSchema;

/** `execute`: a synchronous `execute` command; `task`: a run of a queued task. */
export const EXECUTION_PHASES = ['execute', 'task'] as const;
export type ExecutionPhase = (typeof EXECUTION_PHASES)[number];

/** One execution, success or failure, as published by whatever ran it and stored by history. */
export const executionRecordSchema = z.object({
  /** Unique per execution; also the JetStream message id, so a repeat is stored once. */
  executionId: z.string().min(1).max(128),
  /** The task this execution ran, or null for a direct `execute` command. */
  taskId: z.string().min(1).max(128).nullable(),
  domain: executionDomainSchema,
  action: z.string().min(1).max(128),
  phase: z.enum(EXECUTION_PHASES),
  success: z.boolean(),
  error: z.string().max(10_000).nullable(),
  durationMs: z.number().int().min(0),
  /** 0..1 as judged by the module; null when it did not say. */
  impactScore: z.number().min(0).max(1).nullable(),
  resourcesUsed: jsonObjectSchema,
  parameters: jsonObjectSchema,
  logs: z.array(z.string()),
  correlationId: z.string().min(1).max(128).nullable(),
  /** ISO-8601 time the execution started. */
  createdAt: z.iso.datetime({ offset: true }),
});

export type ExecutionRecord = z.infer<typeof executionRecordSchema>;

/**
 * Durable stream of execution records. Limits retention keeps a week of records,
 * so records published while history is down are stored when it comes back.
 */
export const EXECUTIONS_STREAM = {
  name: 'EXECUTIONS',
  subjects: ['history.executions.v1.>'],
  retention: 'limits',
  maxAgeMs: 7 * 24 * 3_600_000,
  duplicateWindowMs: 10 * 60_000,
} as const;

/** History's durable consumer of {@link EXECUTIONS_STREAM}. */
export const HISTORY_EXECUTIONS_DURABLE = 'history-execution-store';

/** Subject of one execution record: one token per domain, under the stream's versioned root. */
export function executionRecordSubject(domain: string): string {
  return `history.executions.v1.${domain}`;
}

/** Longest window a stats or timeline query may span: one year, in hours. */
export const MAX_TIME_WINDOW_HOURS = 8_760;
export const DEFAULT_STATS_WINDOW_HOURS = 168;
export const DEFAULT_TIMELINE_WINDOW_HOURS = 24;
/** A parameter set must be seen this many times before it can be the optimal one. */
export const DEFAULT_MIN_SUPPORT = 3;

const timeWindowHoursSchema = z.number().int().min(1).max(MAX_TIME_WINDOW_HOURS);

export const taskStatsQuerySchema = z.object({
  domain: z.string().min(1).max(64).optional(),
  action: z.string().min(1).max(128).optional(),
  timeWindowHours: timeWindowHoursSchema.optional(),
  minSupport: z.number().int().min(1).max(1_000_000).optional(),
});

export type TaskStatsQuery = z.infer<typeof taskStatsQuerySchema>;

export interface FeedbackCounts {
  positive: number;
  negative: number;
  neutral: number;
}

/** What history learned about the executions of (domain?, action?) in the window. */
export interface TaskStats {
  totalExecutions: number;
  successCount: number;
  failureCount: number;
  /** successCount / totalExecutions, 0..1; 0 when there were none. */
  successRate: number;
  /** Null when there were no executions. */
  avgDurationMs: number | null;
  p50DurationMs: number | null;
  p95DurationMs: number | null;
  /** Average over the executions that reported one; null when none did. */
  avgImpactScore: number | null;
  /** Each task counts once, with its latest feedback. */
  feedback: FeedbackCounts;
  /** The learned best parameter set, or null when no set has enough support. */
  optimalParameters: Record<string, unknown> | null;
  /** ISO-8601 start of the latest execution in the window. */
  lastExecutedAt: string | null;
}

/** Stats and learned parameters; the orchestrator asks before it queues a task. */
export const TaskStatsRequest = defineRequest<TaskStatsQuery, TaskStats>('history.stats.get.v1');

export const timelineQuerySchema = z.object({
  domain: z.string().min(1).max(64).optional(),
  timeWindowHours: timeWindowHoursSchema.optional(),
  /** How many of the most recent executions to list (default 20). */
  recentLimit: z.number().int().min(1).max(200).optional(),
});

export type TimelineQuery = z.infer<typeof timelineQuerySchema>;

export interface TimelineBucket {
  /** ISO-8601 start of the hour. */
  bucketStart: string;
  total: number;
  succeeded: number;
  failed: number;
}

export type RecentExecution = Omit<ExecutionRecord, 'logs' | 'resourcesUsed'>;

export interface TaskTimeline {
  timeWindowHours: number;
  /** Every hour from the one holding the window's start to the current one, oldest first. */
  buckets: TimelineBucket[];
  /** Newest first. */
  recentExecutions: RecentExecution[];
}

export const TaskTimelineRequest = defineRequest<TimelineQuery, TaskTimeline>(
  'history.timeline.get.v1',
);

export const TASK_FEEDBACK_VALUES = ['positive', 'negative', 'neutral'] as const;
export type TaskFeedbackValue = (typeof TASK_FEEDBACK_VALUES)[number];

export const recordFeedbackSchema = z.object({
  /** An execution's taskId, or its executionId when it ran without a task. */
  taskId: z.string().min(1).max(128),
  feedback: z.enum(TASK_FEEDBACK_VALUES),
  comment: z.string().max(2_000).optional(),
});

export type RecordFeedbackCommand = z.infer<typeof recordFeedbackSchema>;

export interface TaskFeedback {
  id: string;
  taskId: string;
  feedback: TaskFeedbackValue;
  comment: string | null;
  createdAt: string;
}

/** Records feedback on a task; answers NOT_FOUND when no execution of that task is known. */
export const RecordFeedbackRequest = defineRequest<RecordFeedbackCommand, TaskFeedback>(
  'history.feedback.record.v1',
);
