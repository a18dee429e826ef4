import { Logger } from '@nestjs/common';
import {
  ClaimTasksCommand,
  ClaimTasksReply,
  ClaimVerdict,
  ExecutionRecord,
  ReportTasksCommand,
  ReportTasksReply,
  ReportVerdict,
  TaskClaim,
  TaskProgressEvent,
  TaskReport,
} from '@jarvis/contracts';
import { MicroBatcher, TaskLedger } from '@jarvis/agent-sdk';
import { failedExecution, succeededExecution } from '../execution-records/execution-record.factory';
import { OutboxRelay } from '../queue/outbox-relay';
import {
  deadLetterDraft,
  OutboxDraft,
  taskDispatchDraft,
  taskMessageOf,
} from '../queue/outbox-message';
import { TaskStore } from '../tasks/task.store';
import { LedgerStore, LedgerWrite, RecordedTask } from './ledger.store';
import {
  claimTransition,
  LedgerTask,
  lostMessageTransition,
  reportTransition,
  TaskChange,
  Transition,
  TransitionSettings,
  unclaimedReportTransition,
  undeliverableTransition,
} from './task-transitions';

/** Where execution records go (the execution record publisher, or a test's list). */
export interface ExecutionRecordSink {
  publish(record: ExecutionRecord): void;
}

/**
 * The record of what agents do with tasks: claims, reports and progress, applied in
 * batched transactions. Dead letters leave through the outbox; execution records are
 * handed to the publisher once the transition that produced them is committed.
 */
export class TaskLedgerService implements TaskLedger {
  private readonly logger = new Logger(TaskLedgerService.name);
  private readonly progressUpdates: MicroBatcher<TaskProgressEvent, undefined>;

  constructor(
    private readonly ledger: LedgerStore,
    private readonly tasks: TaskStore,
    private readonly relay: OutboxRelay,
    private readonly records: ExecutionRecordSink,
    private readonly settings: TransitionSettings,
  ) {
    this.progressUpdates = new MicroBatcher({
      maxBatch: 500,
      maxConcurrentFlushes: 1,
      flush: async (events) => {
        const at = new Date().toISOString();
        await this.tasks.saveProgress(
          events.map((event) => ({
            taskId: event.taskId,
            attempt: event.attempt,
            progress: { percent: event.percent, message: event.message, at },
          })),
        );
        return events.map(() => undefined);
      },
    });
  }

  /**
   * Most claims are of a waiting task and take one statement; the rest (redeliveries with
   * no attempts left, stale copies, unknown tasks) are decided under row locks. Of two
   * copies of one dispatch in a batch, only the first may run.
   */
  async claim(command: ClaimTasksCommand): Promise<ClaimTasksReply> {
    const verdicts = new Map<TaskClaim, ClaimVerdict>();
    const others: TaskClaim[] = [];
    const taken = await this.ledger.claimWaiting(command.agent, command.claims);
    for (const claim of command.claims) {
      const won = taken.get(claim.taskId);
      if (won && won.streamSeq === claim.streamSeq) {
        verdicts.set(claim, { taskId: claim.taskId, verdict: 'run', attempt: won.attempt });
        taken.delete(claim.taskId);
      } else {
        others.push(claim);
      }
    }
    if (others.length > 0) {
      const now = new Date();
      const { result } = await this.apply(
        others.map((claim) => claim.taskId),
        (tasks) =>
          collect(
            others,
            tasks,
            (claim) => claim.taskId,
            (claim, task) => claimTransition(task, claim, command.agent, now),
          ),
      );
      others.forEach((claim, index) => verdicts.set(claim, result[index].verdict));
    }
    return { verdicts: command.claims.map((claim) => verdicts.get(claim) as ClaimVerdict) };
  }

  /**
   * Successes of the running attempt, or of a first delivery's unclaimed run, complete in
   * one statement; failures, cancellations and stale or repeated reports are decided under
   * row locks.
   */
  async report(command: ReportTasksCommand): Promise<ReportTasksReply> {
    const successes = command.reports.filter((report) => report.outcome === 'succeeded');
    const completed =
      successes.length > 0
        ? await this.ledger.completeSucceeded(command.agent, successes)
        : new Map<string, RecordedTask>();
    const verdicts = new Map<TaskReport, ReportVerdict>();
    const others: TaskReport[] = [];
    for (const report of command.reports) {
      const task = completed.get(report.taskId);
      if (report.outcome === 'succeeded' && task) {
        completed.delete(report.taskId);
        verdicts.set(report, { taskId: report.taskId, verdict: 'ack' });
        this.records.publish(recordOf(task, report));
      } else {
        others.push(report);
      }
    }
    if (others.length > 0) {
      const now = new Date();
      const { result, tasks } = await this.apply(
        others.map((report) => report.taskId),
        (locked) =>
          collect(
            others,
            locked,
            (report) => report.taskId,
            (report, task) =>
              report.claimed === false
                ? unclaimedReportTransition(task, report, command.agent, this.settings, now)
                : reportTransition(task, report, this.settings, now),
          ),
      );
      others.forEach((report, index) => {
        verdicts.set(report, result[index].verdict);
        const task = tasks.get(report.taskId);
        if (result[index].recordExecution && task) this.records.publish(recordOf(task, report));
      });
    }
    return { verdicts: command.reports.map((report) => verdicts.get(report) as ReportVerdict) };
  }

  /** JetStream gave up delivering this message: its task dies unless it already finished. */
  async undeliverable(taskId: string, dispatch: number, deliveries: number): Promise<void> {
    const now = new Date();
    await this.apply([taskId], (tasks) =>
      collect(
        [taskId],
        tasks,
        (id) => id,
        (_, task) => undeliverableTransition(task, dispatch, deliveries, now),
      ),
    );
  }

  /**
   * The stream holds no message of this dispatch of an unfinished task: put the task back
   * on the queue as a new dispatch. Answers whether it did.
   */
  async requeueLost(taskId: string, dispatch: number): Promise<boolean> {
    const { result, outbox } = await this.ledger.transition([taskId], (tasks) => {
      const task = tasks.get(taskId);
      const transition = lostMessageTransition(task, dispatch);
      if (!task || !transition.change) return { changes: [], outbox: [], result: false };
      const message = taskMessageOf(task, transition.change.dispatch, task.attempts);
      return {
        changes: [{ id: taskId, change: transition.change }],
        outbox: [taskDispatchDraft(message)],
        result: true,
      };
    });
    if (outbox.length > 0) this.relay.relay(outbox);
    return result;
  }

  progress(event: TaskProgressEvent): void {
    this.progressUpdates
      .add(event)
      .catch((error: unknown) => this.logger.warn({ err: error }, 'Progress not saved'));
  }

  private async apply<TVerdict>(
    taskIds: string[],
    decide: (tasks: ReadonlyMap<string, LedgerTask>) => LedgerWrite<Transition<TVerdict>[]>,
  ): Promise<{ result: Transition<TVerdict>[]; tasks: ReadonlyMap<string, LedgerTask> }> {
    let seen: ReadonlyMap<string, LedgerTask> = new Map();
    const { result, outbox } = await this.ledger.transition(taskIds, (tasks) => {
      seen = tasks;
      return decide(tasks);
    });
    if (outbox.length > 0) this.relay.relay(outbox);
    return { result, tasks: seen };
  }
}

/**
 * Decides the items of a batch in order, each seeing the changes of those before it (two
 * copies of one message in a batch must not both run), and gathers one batch write.
 */
function collect<TItem, TVerdict>(
  items: readonly TItem[],
  locked: ReadonlyMap<string, LedgerTask>,
  idOf: (item: TItem) => string,
  transitionOf: (item: TItem, task: LedgerTask | undefined) => Transition<TVerdict>,
): LedgerWrite<Transition<TVerdict>[]> {
  const tasks = new Map(locked);
  const changes = new Map<string, TaskChange>();
  const outbox: OutboxDraft[] = [];
  const result = items.map((item) => {
    const id = idOf(item);
    const task = tasks.get(id);
    const transition = transitionOf(item, task);
    if (transition.change && task) {
      changes.set(id, transition.change);
      tasks.set(id, { ...task, ...transition.change });
    }
    if (transition.deadLetter) {
      outbox.push(
        deadLetterDraft(transition.deadLetter.letter, transition.deadLetter.correlationId),
      );
    }
    return transition;
  });
  return { changes: [...changes].map(([id, change]) => ({ id, change })), outbox, result };
}

function recordOf(task: RecordedTask, report: TaskReport): ExecutionRecord {
  const run = {
    executionId: report.executionId,
    taskId: task.id,
    phase: 'task' as const,
    domain: task.domain,
    action: task.action,
    parameters: task.params,
    startedAt: new Date(report.startedAt),
    durationMs: report.durationMs,
    resourcesUsed: report.resourcesUsed,
    correlationId: task.correlationId,
  };
  return report.outcome === 'succeeded'
    ? succeededExecution(run, report.impactScore)
    : failedExecution(run, new Error(report.error ?? 'Failed'));
}
