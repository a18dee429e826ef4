import {
  ClaimVerdict,
  DeadLetter,
  ReportVerdict,
  TaskClaim,
  TaskPriority,
  TaskProgress,
  TaskReport,
  TaskStatus,
} from '@jarvis/contracts';

/** What the ledger reads, under a row lock, to decide a claim or a report. */
export interface LedgerTask {
  id: string;
  domain: string;
  action: string;
  params: Record<string, unknown>;
  priority: TaskPriority;
  status: TaskStatus;
  attempts: number;
  maxAttempts: number;
  dispatch: number;
  streamSeq: number | null;
  agent: string | null;
  result: unknown;
  error: string | null;
  progress: TaskProgress | null;
  correlationId: string | null;
  queuedAt: Date | null;
  startedAt: Date | null;
  finishedAt: Date | null;
}

/** The columns a transition writes. */
export type TaskChange = Pick<
  LedgerTask,
  | 'status'
  | 'attempts'
  | 'dispatch'
  | 'streamSeq'
  | 'agent'
  | 'result'
  | 'error'
  | 'progress'
  | 'queuedAt'
  | 'startedAt'
  | 'finishedAt'
>;

export interface Transition<TVerdict> {
  verdict: TVerdict;
  /** The task's new state, when it changes. */
  change?: TaskChange;
  /** Set when the task just died: a copy goes to the dead-letter stream. */
  deadLetter?: { letter: DeadLetter; correlationId: string | null };
  /** Set when the report is of a run that history should record. */
  recordExecution?: boolean;
}

export interface TransitionSettings {
  /** First retry delay; doubled per attempt, capped at {@link MAX_RETRY_DELAY_MS}. */
  retryDelayMs: number;
}

export const MAX_RETRY_DELAY_MS = 300_000;

/** What a completed task keeps as its result. */
export function resultOf(report: TaskReport): { output: unknown; impactScore?: number } {
  return { output: report.output ?? null, impactScore: report.impactScore };
}

const current = (task: LedgerTask): TaskChange => ({
  status: task.status,
  attempts: task.attempts,
  dispatch: task.dispatch,
  streamSeq: task.streamSeq,
  agent: task.agent,
  result: task.result,
  error: task.error,
  progress: task.progress,
  queuedAt: task.queuedAt,
  startedAt: task.startedAt,
  finishedAt: task.finishedAt,
});

export function retryDelayOf(attempt: number, settings: TransitionSettings): number {
  return Math.min(settings.retryDelayMs * 2 ** Math.max(0, attempt - 1), MAX_RETRY_DELAY_MS);
}

/**
 * Decides whether a delivered message may run. A message of an older dispatch, a second
 * copy of the current one, or one for a task that is no longer waiting is skipped. A
 * redelivery of the message a running attempt holds means that attempt's agent went
 * silent: it becomes the next attempt, or the task dies when attempts ran out.
 */
export function claimTransition(
  task: LedgerTask | undefined,
  claim: TaskClaim,
  agent: string,
  now: Date,
): Transition<ClaimVerdict> {
  const skip: Transition<ClaimVerdict> = { verdict: { taskId: claim.taskId, verdict: 'skip' } };
  if (!task || task.dispatch !== claim.dispatch) return skip;
  const waiting = task.status === 'queued' || task.status === 'pending';
  const redelivered = task.status === 'running' && task.streamSeq === claim.streamSeq;
  if (!waiting && !redelivered) return skip;
  if (task.attempts >= task.maxAttempts) {
    const error = redelivered
      ? `No answer from agent ${task.agent ?? 'unknown'} in attempt ${task.attempts} of ${task.maxAttempts}`
      : (task.error ?? `All ${task.maxAttempts} attempts used`);
    return { verdict: { taskId: task.id, verdict: 'dead' }, ...death(task, error, now) };
  }
  const attempt = task.attempts + 1;
  return {
    verdict: { taskId: task.id, verdict: 'run', attempt },
    change: {
      ...current(task),
      status: 'running',
      attempts: attempt,
      streamSeq: claim.streamSeq,
      agent,
      progress: null,
      queuedAt: task.queuedAt ?? now,
      startedAt: now,
    },
  };
}

/**
 * Records how an attempt ended. Only the attempt that holds the task is recorded; a
 * report of an older attempt is stale, of an older dispatch or a finished task is acked.
 * A retryable failure goes back on the queue while attempts remain, then dies.
 */
export function reportTransition(
  task: LedgerTask | undefined,
  report: TaskReport,
  settings: TransitionSettings,
  now: Date,
): Transition<ReportVerdict> {
  const ack: Transition<ReportVerdict> = { verdict: { taskId: report.taskId, verdict: 'ack' } };
  if (!task || task.dispatch !== report.dispatch) return ack;
  const retry: ReportVerdict = {
    taskId: task.id,
    verdict: 'retry',
    delayMs: retryDelayOf(report.attempt, settings),
  };
  if (task.status === 'queued' && task.attempts === report.attempt && report.outcome === 'failed') {
    // The same report again (its answer was lost): answer the same.
    return { verdict: retry };
  }
  if (task.status !== 'running') return ack;
  if (task.attempts !== report.attempt) return { verdict: { taskId: task.id, verdict: 'stale' } };

  const finished = (status: TaskStatus, fields: Partial<TaskChange>): TaskChange => ({
    ...current(task),
    status,
    progress: null,
    finishedAt: now,
    ...fields,
  });
  switch (report.outcome) {
    case 'succeeded':
      return {
        ...ack,
        recordExecution: true,
        change: finished('completed', { result: resultOf(report), error: null }),
      };
    case 'cancelled':
      return { ...ack, change: finished('cancelled', { error: report.error ?? 'Cancelled' }) };
    case 'failed': {
      const error = report.error ?? 'Failed';
      if (!report.retryable) {
        return { ...ack, recordExecution: true, change: finished('failed', { error }) };
      }
      if (task.attempts < task.maxAttempts) {
        return {
          verdict: retry,
          recordExecution: true,
          change: { ...current(task), status: 'queued', error, progress: null },
        };
      }
      return { ...ack, recordExecution: true, ...death(task, error, now) };
    }
  }
}

/**
 * Records the run of a first delivery, which was never claimed: as if it had been claimed
 * when it started and then reported. A task that is no longer waiting for it (cancelled, finished, or
 * taken by another copy) keeps its state and the message is acked.
 */
export function unclaimedReportTransition(
  task: LedgerTask | undefined,
  report: TaskReport,
  agent: string,
  settings: TransitionSettings,
  now: Date,
): Transition<ReportVerdict> {
  const claim = claimTransition(
    task,
    { taskId: report.taskId, dispatch: report.dispatch, streamSeq: report.streamSeq ?? 0 },
    agent,
    new Date(report.startedAt),
  );
  if (!task || claim.verdict.verdict !== 'run') {
    const { change, deadLetter } = claim;
    return { verdict: { taskId: report.taskId, verdict: 'ack' }, change, deadLetter };
  }
  if (claim.verdict.attempt !== report.attempt) {
    return { verdict: { taskId: task.id, verdict: 'stale' } };
  }
  const reported = reportTransition({ ...task, ...claim.change }, report, settings, now);
  return { ...reported, change: reported.change ?? claim.change };
}

/** A task whose message JetStream stopped delivering, max deliveries reached. */
export function undeliverableTransition(
  task: LedgerTask | undefined,
  dispatch: number,
  deliveries: number,
  now: Date,
): Transition<'dead' | 'ignored'> {
  if (!task || task.dispatch !== dispatch) return { verdict: 'ignored' };
  if (!['pending', 'queued', 'running'].includes(task.status)) return { verdict: 'ignored' };
  return {
    verdict: 'dead',
    ...death(task, `Delivered ${deliveries} times without an answer`, now),
  };
}

/**
 * The queue lost the message of an unfinished task (the stream holds nothing on its
 * subject): it goes back on the queue as a new dispatch.
 */
export function lostMessageTransition(
  task: LedgerTask | undefined,
  dispatch: number,
): Transition<'requeued' | 'ignored'> {
  if (!task || task.dispatch !== dispatch) return { verdict: 'ignored' };
  if (task.status !== 'queued' && task.status !== 'running') return { verdict: 'ignored' };
  return {
    verdict: 'requeued',
    change: {
      ...current(task),
      status: 'queued',
      dispatch: task.dispatch + 1,
      streamSeq: null,
      agent: null,
      progress: null,
    },
  };
}

function death(
  task: LedgerTask,
  error: string,
  now: Date,
): Pick<Transition<never>, 'change' | 'deadLetter'> {
  return {
    change: { ...current(task), status: 'dead', error, progress: null, finishedAt: now },
    deadLetter: {
      letter: {
        taskId: task.id,
        dispatch: task.dispatch,
        domain: task.domain,
        action: task.action,
        params: task.params,
        attempts: task.attempts,
        error,
        deadAt: now.toISOString(),
      },
      correlationId: task.correlationId,
    },
  };
}
