import { Injectable, Logger } from '@nestjs/common';
import {
  FINAL_TASK_STATUSES,
  ListTasksQuery,
  RETRYABLE_TASK_STATUSES,
  TaskCancelled,
  TaskNotFoundError,
  taskQueueSubject,
  TASKS_STREAM,
  TaskPage,
  TaskStateConflictError,
  TaskView,
} from '@jarvis/contracts';
import { JetStreamService, MessageBus } from '@jarvis/messaging';
import { OutboxRelay } from '../queue/outbox-relay';
import { taskDispatchDraft, taskMessageOf } from '../queue/outbox-message';
import { taskViewOf } from './task-row';
import { TaskStore } from './task.store';

/** Reads tasks, and the operator's cancel and retry. */
@Injectable()
export class TaskCommandsService {
  private readonly logger = new Logger(TaskCommandsService.name);

  constructor(
    private readonly store: TaskStore,
    private readonly relay: OutboxRelay,
    private readonly bus: MessageBus,
    private readonly jetStream: JetStreamService,
  ) {}

  async get(id: string): Promise<TaskView> {
    const row = await this.store.get(id);
    if (!row) throw new TaskNotFoundError(id);
    return taskViewOf(row);
  }

  async list(query: ListTasksQuery): Promise<TaskPage> {
    const { rows, nextCursor } = await this.store.list(query);
    return { items: rows.map(taskViewOf), nextCursor };
  }

  /**
   * Cancels a task that has not finished; cancelling a cancelled task answers it as it is.
   * A queued task's message leaves the queue; agents hear of the cancel, skip the task if
   * they hold it and stop a running attempt. A run that finishes anyway is not recorded.
   */
  async cancel(id: string): Promise<TaskView> {
    const before = await this.store.cancel(id);
    if (!before) throw new TaskNotFoundError(id);
    if (before !== 'cancelled' && FINAL_TASK_STATUSES.includes(before)) {
      throw new TaskStateConflictError(id, before, 'cancelled');
    }
    const task = await this.get(id);
    if (before !== 'cancelled') {
      this.bus.emit(TaskCancelled, { taskId: id });
      if (before === 'queued' || before === 'pending') await this.removeFromQueue(task);
      this.logger.log({ taskId: id, was: before }, 'Task cancelled');
    }
    return task;
  }

  /** Agents would run the first delivery of a queued message without asking: take it away. */
  private async removeFromQueue(task: TaskView): Promise<void> {
    try {
      await this.jetStream.purgeSubject(
        TASKS_STREAM.name,
        taskQueueSubject(task.priority, task.domain, task.id),
      );
    } catch (error) {
      // Agents that heard of the cancel still skip it; one that did not would run it unrecorded.
      this.logger.warn({ err: error, taskId: task.id }, 'Cancelled task left on the queue');
    }
  }

  /** Puts a deferred, failed or dead task back on the queue with fresh attempts. */
  async retry(id: string): Promise<TaskView> {
    const requeued = await this.store.requeue(
      id,
      RETRYABLE_TASK_STATUSES,
      {
        decision: 'proceed',
        reasoning: 'Retried by request: queued again without consulting history',
        confidence: 1,
        historyAvailable: false,
        successRate: null,
        totalExecutions: null,
        appliedParameters: {},
      },
      // The task gets fresh attempts.
      (task, dispatch) =>
        taskDispatchDraft(
          taskMessageOf({ ...task, correlationId: task.correlation_id }, dispatch, 0),
        ),
    );
    if (!requeued) throw new TaskNotFoundError(id);
    if (!requeued.dispatch) throw new TaskStateConflictError(id, requeued.before.status, 'retried');
    this.relay.relay([requeued.dispatch]);
    this.logger.log({ taskId: id, was: requeued.before.status }, 'Task queued again');
    return this.get(id);
  }
}
