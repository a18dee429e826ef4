import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { z } from 'zod';
import {
  CancelTaskRequest,
  GetTaskRequest,
  ListTasksRequest,
  listTasksSchema,
  RetryTaskRequest,
  SubmitTaskRequest,
  submitTaskSchema,
  taskIdSchema,
  TaskPage,
  TaskView,
  ValidationError,
} from '@jarvis/contracts';
import { TaskCommandsService } from './task-commands.service';
import { TaskSubmissionService } from './task-submission.service';

@Controller()
export class TasksController {
  constructor(
    private readonly submissions: TaskSubmissionService,
    private readonly commands: TaskCommandsService,
  ) {}

  @MessagePattern(SubmitTaskRequest.subject)
  submit(@Payload() payload: unknown): Promise<TaskView> {
    return this.submissions.submit(parse(submitTaskSchema, payload));
  }

  @MessagePattern(GetTaskRequest.subject)
  get(@Payload() payload: unknown): Promise<TaskView> {
    return this.commands.get(parse(taskIdSchema, payload).id);
  }

  @MessagePattern(ListTasksRequest.subject)
  list(@Payload() payload: unknown): Promise<TaskPage> {
    return this.commands.list(parse(listTasksSchema, payload));
  }

  @MessagePattern(CancelTaskRequest.subject)
  cancel(@Payload() payload: unknown): Promise<TaskView> {
    return this.commands.cancel(parse(taskIdSchema, payload).id);
  }

  @MessagePattern(RetryTaskRequest.subject)
  retry(@Payload() payload: unknown): Promise<TaskView> {
    return this.commands.retry(parse(taskIdSchema, payload).id);
  }
}

function parse<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) {
    throw new ValidationError(
      'Invalid task request',
      parsed.error.issues.map((issue) => ({ field: issue.path.join('.'), reason: issue.message })),
    );
  }
  return parsed.data;
}
