import {
  DeadLetter,
  deadLetterSubject,
  TaskMessage,
  taskMessageId,
  TaskPriority,
  taskQueueSubject,
} from '@jarvis/contracts';

export type OutboxKind = 'task' | 'dead-letter';

/** A message to publish, written in the same transaction as the state change that needs it. */
export interface OutboxDraft {
  kind: OutboxKind;
  subject: string;
  msgId: string;
  payload: string;
  correlationId: string | null;
  taskId: string;
  dispatch: number;
}

/** A committed outbox row: the relay publishes it, then deletes it. */
export interface OutboxMessage extends OutboxDraft {
  id: string;
}

export function taskDispatchDraft(message: TaskMessage): OutboxDraft {
  return {
    kind: 'task',
    subject: taskQueueSubject(message.priority, message.domain, message.taskId),
    msgId: taskMessageId(message.taskId, message.dispatch),
    payload: JSON.stringify(message),
    correlationId: message.correlationId,
    taskId: message.taskId,
    dispatch: message.dispatch,
  };
}

export function deadLetterDraft(letter: DeadLetter, correlationId: string | null): OutboxDraft {
  return {
    kind: 'dead-letter',
    subject: deadLetterSubject(letter.domain),
    msgId: `dlq:${taskMessageId(letter.taskId, letter.dispatch)}`,
    payload: JSON.stringify(letter),
    correlationId,
    taskId: letter.taskId,
    dispatch: letter.dispatch,
  };
}

/** The queue message of a task's dispatch; `attempts` are those the task has used so far. */
export function taskMessageOf(
  task: {
    id: string;
    domain: string;
    action: string;
    params: Record<string, unknown>;
    priority: TaskPriority;
    correlationId: string | null;
    attempts: number;
  },
  dispatch: number,
): TaskMessage {
  return {
    taskId: task.id,
    dispatch,
    attempt: task.attempts + 1,
    domain: task.domain,
    action: task.action,
    params: task.params,
    priority: task.priority,
    correlationId: task.correlationId,
  };
}
