import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { DEFAULT_TASK_ATTEMPTS, SubmitTaskCommand, TaskView } from '@jarvis/contracts';
import { currentCorrelationId } from '@jarvis/observability';
import { TaskDecider } from '../decisions/task-decider.service';
import { taskDispatchDraft, taskMessageOf } from '../queue/outbox-message';
import { TaskCatalog } from './task-catalog';
import { TaskEnqueuer } from './task-enqueuer';
import { taskViewOf } from './task-row';
import { NewTask, TaskStore } from './task.store';

/** Accepts a task: checks what it names, decides with history, records and queues it. */
@Injectable()
export class TaskSubmissionService {
  private readonly logger = new Logger(TaskSubmissionService.name);

  constructor(
    private readonly catalog: TaskCatalog,
    private readonly decider: TaskDecider,
    private readonly enqueuer: TaskEnqueuer,
    private readonly store: TaskStore,
  ) {}

  async submit(command: SubmitTaskCommand): Promise<TaskView> {
    if (command.idempotencyKey) {
      const first = await this.store.findByIdempotencyKey(command.idempotencyKey);
      if (first) return taskViewOf(first);
    }
    await this.catalog.assertOffered(command.domain, command.action);
    const { decision, params } = await this.decider.decide(
      command.domain,
      command.action,
      command.params ?? {},
    );
    const correlationId = currentCorrelationId() ?? null;
    const task: NewTask = {
      id: randomUUID(),
      domain: command.domain,
      action: command.action,
      title: command.title ?? null,
      params,
      priority: command.priority ?? 'normal',
      status: decision.decision === 'defer' ? 'deferred' : 'queued',
      maxAttempts: command.maxAttempts ?? DEFAULT_TASK_ATTEMPTS,
      idempotencyKey: command.idempotencyKey ?? null,
      correlationId,
      decision,
      dispatch: null,
    };
    if (task.status === 'queued') {
      task.dispatch = taskDispatchDraft(taskMessageOf(task, 1, 0));
    }
    const inserted = await this.enqueuer.enqueue(task);
    if (!inserted.inserted && command.idempotencyKey) {
      // Another submit with the same key was committed first: answer that task.
      const first = await this.store.findByIdempotencyKey(command.idempotencyKey);
      if (first) return taskViewOf(first);
    }
    this.logger.log(
      { taskId: task.id, domain: task.domain, action: task.action, decision: decision.decision },
      task.status === 'deferred' ? 'Task deferred' : 'Task accepted',
    );
    const stored = await this.store.get(task.id);
    if (!stored) throw new Error(`Task ${task.id} was committed but cannot be read`);
    return taskViewOf(stored);
  }
}
