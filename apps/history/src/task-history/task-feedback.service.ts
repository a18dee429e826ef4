import { Injectable, Logger } from '@nestjs/common';
import { NotFoundError, RecordFeedbackCommand, TaskFeedback } from '@jarvis/contracts';
import { TaskHistoryQueries } from './task-history.queries';

/** Records what people think of a task; the learning rule reads a task's latest feedback. */
@Injectable()
export class TaskFeedbackService {
  private readonly logger = new Logger(TaskFeedbackService.name);

  constructor(private readonly queries: TaskHistoryQueries) {}

  async recordFeedback(command: RecordFeedbackCommand): Promise<TaskFeedback> {
    const recorded = await this.queries.insertFeedback(
      command.taskId,
      command.feedback,
      command.comment ?? null,
    );
    if (!recorded) {
      throw new NotFoundError(`No execution of task "${command.taskId}" is recorded`, {
        taskId: command.taskId,
      });
    }
    this.logger.log({ taskId: command.taskId, feedback: command.feedback }, 'Feedback recorded');
    return recorded;
  }
}
