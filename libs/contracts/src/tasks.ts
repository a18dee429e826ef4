import { z } from 'zod';
import { ErrorCode } from './error-codes';
import { JarvisError } from './jarvis-error';
import { defineEvent, defineRequest } from './request-contract';
import { identifierSchema, jsonObjectSchema } from './schemas';
import { executionDomainSchema } from './task-history';

/**
 * `pending`: recorded, its message not yet confirmed on the queue. `deferred`: held back by a decision.
 * `queued`: on the work queue. `running`: an agent claimed it. `completed`, `failed`
 * (a permanent failure: bad params, unknown action), `cancelled`, `dead` (attempts or
 * deliveries ran out; a copy is on the dead-letter stream) are final.
 */
export const TASK_STATUSES = [
  'pending',
  'deferred',
  'queued',
  'running',
  'completed',
  'failed',
  'cancelled',
  'dead',
] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const FINAL_TASK_STATUSES: readonly TaskStatus[] = [
  'completed',
  'failed',
  'cancelled',
  'dead',
];

/** Statuses from which `retry` puts a task back on the queue. */
export const RETRYABLE_TASK_STATUSES: readonly TaskStatus[] = ['deferred', 'failed', 'dead'];

/** High before normal before low; each has its own subject and consumer per domain. */
export const TASK_PRIORITIES = ['high', 'normal', 'low'] as const;
export type TaskPriority = (typeof TASK_PRIORITIES)[number];

export const MAX_TASK_ATTEMPTS = 10;
export const DEFAULT_TASK_ATTEMPTS = 3;
export const MAX_TASK_PAGE_SIZE = 200;
export const DEFAULT_TASK_PAGE_SIZE = 50;

/** A task's domain is a subject token: `diagnostics`, `system-health`, `music-production`. */
export const taskDomainSchema = executionDomainSchema;

export const taskActionSchema = identifierSchema;

export const submitTaskSchema = z.object({
  domain: taskDomainSchema,
  action: taskActionSchema,
  title: z.string().min(1).max(200).optional(),
  params: jsonObjectSchema.optional(),
  priority: z.enum(TASK_PRIORITIES).optional(),
  maxAttempts: z.number().int().min(1).max(MAX_TASK_ATTEMPTS).optional(),
  /** A repeat with the same key answers the first task instead of making another. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});
export type SubmitTaskCommand = z.infer<typeof submitTaskSchema>;

export const taskIdSchema = z.object({ id: z.uuid() });
export type TaskIdQuery = z.infer<typeof taskIdSchema>;

export const listTasksSchema = z.object({
  status: z.enum(TASK_STATUSES).optional(),
  domain: taskDomainSchema.optional(),
  limit: z.number().int().min(1).max(MAX_TASK_PAGE_SIZE).optional(),
  /** Opaque: the `nextCursor` of the previous page. */
  cursor: z.string().min(1).max(200).optional(),
});
export type ListTasksQuery = z.infer<typeof listTasksSchema>;

/** Why a task was queued or deferred; every decision is stored. */
export interface TaskDecision {
  decision: 'proceed' | 'defer';
  reasoning: string;
  /** 0..1 */
  confidence: number;
  /** False when history did not answer and the task went ahead without learning. */
  historyAvailable: boolean;
  successRate: number | null;
  totalExecutions: number | null;
  /** The learned parameters filled into those the submitter left unset. */
  appliedParameters: Record<string, unknown>;
  decidedAt: string;
}

export interface TaskProgress {
  /** 0..100 */
  percent?: number;
  message?: string;
  at: string;
}

export interface TaskView {
  id: string;
  domain: string;
  action: string;
  title: string | null;
  priority: TaskPriority;
  status: TaskStatus;
  attempts: number;
  maxAttempts: number;
  /** The parameters as run: the submitter's, completed by learned ones. */
  params: Record<string, unknown>;
  decision: TaskDecision | null;
  result: unknown;
  error: string | null;
  progress: TaskProgress | null;
  /** The agent instance that ran (or runs) the latest attempt. */
  agent: string | null;
  correlationId: string | null;
  createdAt: string;
  updatedAt: string;
  queuedAt: string | null;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface TaskPage {
  items: TaskView[];
  /** Pass as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

export class TaskNotFoundError extends JarvisError {
  constructor(taskId: string) {
    super(ErrorCode.NotFound, `No task ${taskId}`, { taskId });
  }
}

/** The task's status does not allow the command (cancel a finished task, retry a running one). */
export class TaskStateConflictError extends JarvisError {
  constructor(taskId: string, status: TaskStatus, command: string) {
    super(ErrorCode.Conflict, `Task ${taskId} is ${status}: it cannot be ${command}`, {
      taskId,
      status,
    });
  }
}

export const SubmitTaskRequest = defineRequest<SubmitTaskCommand, TaskView>(
  'orchestrator.tasks.submit.v1',
);
export const GetTaskRequest = defineRequest<TaskIdQuery, TaskView>('orchestrator.tasks.get.v1');
export const ListTasksRequest = defineRequest<ListTasksQuery, TaskPage>(
  'orchestrator.tasks.list.v1',
);
export const CancelTaskRequest = defineRequest<TaskIdQuery, TaskView>(
  'orchestrator.tasks.cancel.v1',
);
export const RetryTaskRequest = defineRequest<TaskIdQuery, TaskView>('orchestrator.tasks.retry.v1');

// ---------------------------------------------------------------------------
// The work queue on JetStream

/** Work-queue stream: a message is gone once an agent acks it. */
export const TASKS_STREAM = {
  name: 'TASKS',
  subjects: ['tasks.q.>'],
  retention: 'workqueue',
  duplicateWindowMs: 120_000,
} as const;

/** Tasks that ran out of attempts or deliveries; kept for inspection. */
export const TASKS_DLQ_STREAM = {
  name: 'TASKS_DLQ',
  subjects: ['tasks.dlq.>'],
  retention: 'limits',
  maxAgeMs: 30 * 24 * 3_600_000,
  duplicateWindowMs: 120_000,
} as const;

/** Durable copy of the server's "max deliveries reached" advisories for the task stream. */
export const TASK_ADVISORIES_STREAM_NAME = 'TASK_ADVISORIES';
/** The orchestrator's durable consumer of {@link TASK_ADVISORIES_STREAM_NAME}. */
export const TASK_ADVISORIES_DURABLE = 'orchestrator-dead-letters';

/** Deliveries of one message before JetStream gives up; above any task's attempts. */
export const TASK_MAX_DELIVER = 2 * MAX_TASK_ATTEMPTS;

/**
 * One subject per task (`tasks.q.<priority>.<domain>.<taskId>`): the stream can then say
 * whether it still holds a task's message without anything stored per publish.
 */
export function taskQueueSubject(priority: TaskPriority, domain: string, taskId: string): string {
  return `tasks.q.${priority}.${domain}.${taskId}`;
}

/** What a domain's consumer of one priority reads. */
export function taskQueueFilter(priority: TaskPriority, domain: string): string {
  return `tasks.q.${priority}.${domain}.*`;
}

/** One durable per (priority, domain), shared by every worker of the domain. */
export function taskConsumerName(priority: TaskPriority, domain: string): string {
  return `tasks-${priority}-${domain}`;
}

export function deadLetterSubject(domain: string): string {
  return `tasks.dlq.${domain}`;
}

/** Message id on the work queue: a re-publish of the same dispatch is dropped. */
export function taskMessageId(taskId: string, dispatch: number): string {
  return `${taskId}:${dispatch}`;
}

/** What an agent receives for one task. */
export const taskMessageSchema = z.object({
  taskId: z.uuid(),
  /** Counts the times the task was put on the queue (retry makes a new dispatch). */
  dispatch: z.number().int().min(1),
  /**
   * The attempt this message's first delivery would be. An agent runs the first delivery of
   * a first attempt without asking the ledger; anything else (or a message without it,
   * queued by an older orchestrator) it claims first.
   */
  attempt: z.number().int().min(1).optional(),
  domain: taskDomainSchema,
  action: taskActionSchema,
  params: jsonObjectSchema,
  priority: z.enum(TASK_PRIORITIES),
  correlationId: z.string().nullable(),
});
export type TaskMessage = z.infer<typeof taskMessageSchema>;

/** What the dead-letter stream holds for one task. */
export interface DeadLetter {
  taskId: string;
  dispatch: number;
  domain: string;
  action: string;
  params: Record<string, unknown>;
  attempts: number;
  error: string | null;
  deadAt: string;
}

// ---------------------------------------------------------------------------
// Agents and the orchestrator's task ledger

/**
 * An agent claims a delivered task before it runs it, unless the delivery is the first of a
 * first attempt (then the report records the run, or a claim once the run goes on): a
 * redelivery or a stale copy must not run twice. A claim marks the task running.
 */
export const taskClaimSchema = z.object({
  taskId: z.uuid(),
  dispatch: z.number().int().min(1),
  /** Stream sequence of the delivered message: tells a redelivery from a second copy. */
  streamSeq: z.number().int().min(1),
});
export type TaskClaim = z.infer<typeof taskClaimSchema>;

export const claimTasksSchema = z.object({
  agent: z.string().min(1).max(200),
  claims: z.array(taskClaimSchema).min(1).max(1000),
});
export type ClaimTasksCommand = z.infer<typeof claimTasksSchema>;

/**
 * `run`: go ahead as attempt `attempt`. `skip`: already handled, cancelled or a stale
 * copy: ack without running. `dead`: attempts ran out; recorded as dead: ack.
 */
export type ClaimVerdict =
  | { taskId: string; verdict: 'run'; attempt: number }
  | { taskId: string; verdict: 'skip' | 'dead' };

/** One verdict per claim, in the order of the claims. */
export interface ClaimTasksReply {
  verdicts: ClaimVerdict[];
}

export const TASK_OUTCOMES = ['succeeded', 'failed', 'cancelled'] as const;
export type TaskOutcome = (typeof TASK_OUTCOMES)[number];

export const taskReportSchema = z
  .object({
    taskId: z.uuid(),
    dispatch: z.number().int().min(1),
    attempt: z.number().int().min(1),
    /** Unique per run; the execution record's id. */
    executionId: z.string().min(1).max(128),
    outcome: z.enum(TASK_OUTCOMES),
    output: z.unknown().optional(),
    impactScore: z.number().min(0).max(1).optional(),
    resourcesUsed: jsonObjectSchema.optional(),
    error: z.string().max(10_000).optional(),
    /** False for failures that would fail again the same way (bad params, unknown action). */
    retryable: z.boolean(),
    startedAt: z.iso.datetime({ offset: true }),
    durationMs: z.number().int().min(0),
    /** False for a first delivery's run that was never claimed: the report records its start too. */
    claimed: z.boolean().optional(),
    /** The delivered message's stream sequence; required when `claimed` is false. */
    streamSeq: z.number().int().min(1).optional(),
  })
  .refine((report) => report.claimed !== false || report.streamSeq !== undefined, {
    message: 'An unclaimed report needs the streamSeq of its message',
    path: ['streamSeq'],
  });
export type TaskReport = z.infer<typeof taskReportSchema>;

export const reportTasksSchema = z.object({
  agent: z.string().min(1).max(200),
  reports: z.array(taskReportSchema).min(1).max(1000),
});
export type ReportTasksCommand = z.infer<typeof reportTasksSchema>;

/**
 * `ack`: done with the message. `retry`: nak it, to be delivered again after `delayMs`.
 * `stale`: a newer attempt owns the message: leave it alone.
 */
export type ReportVerdict =
  | { taskId: string; verdict: 'ack' | 'stale' }
  | { taskId: string; verdict: 'retry'; delayMs: number };

/** One verdict per report, in the order of the reports. */
export interface ReportTasksReply {
  verdicts: ReportVerdict[];
}

export const ClaimTasksRequest = defineRequest<ClaimTasksCommand, ClaimTasksReply>(
  'orchestrator.tasks.claim.v1',
);
export const ReportTasksRequest = defineRequest<ReportTasksCommand, ReportTasksReply>(
  'orchestrator.tasks.report.v1',
);

export const taskProgressSchema = z.object({
  taskId: z.uuid(),
  attempt: z.number().int().min(1),
  percent: z.number().min(0).max(100).optional(),
  message: z.string().max(500).optional(),
});
export type TaskProgressEvent = z.infer<typeof taskProgressSchema>;

/** An agent's progress on a running task (fire and forget). */
export const TaskProgressReported = defineEvent<TaskProgressEvent>(
  'orchestrator.tasks.progress.v1',
);

export const taskCancelledSchema = z.object({ taskId: z.uuid() });
export type TaskCancelledEvent = z.infer<typeof taskCancelledSchema>;

/** Heard by every agent instance (no queue group): stop the task if it runs here. */
export const TaskCancelled = defineEvent<TaskCancelledEvent>('agents.tasks.cancelled.v1');
