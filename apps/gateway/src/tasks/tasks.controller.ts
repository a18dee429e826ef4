import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import {
  CancelTaskRequest,
  GetTaskRequest,
  ListTasksRequest,
  RetryTaskRequest,
  SubmitTaskRequest,
  ValidationError,
} from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { API_PREFIX } from '../http/api-prefix';
import { ListTasksQueryDto, SubmitTaskDto, TaskIdParams } from './tasks.dto';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

@ApiTags('tasks')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/tasks`)
export class TasksController {
  constructor(private readonly bus: MessageBus) {}

  @Post()
  @HttpCode(202)
  @ApiOperation({
    summary:
      'Submit a task: decided with history, then queued (or deferred); 400 for an unknown domain',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A repeat with the same key answers the first task',
  })
  async submit(@Body() body: SubmitTaskDto, @Headers('idempotency-key') idempotencyKey?: string) {
    if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY.test(idempotencyKey)) {
      throw new ValidationError('Idempotency-Key must be 1-200 printable ASCII characters', [
        { field: 'Idempotency-Key', reason: 'must be 1-200 printable ASCII characters' },
      ]);
    }
    const data = await this.bus.request(SubmitTaskRequest, { ...body, idempotencyKey });
    return { success: true, data };
  }

  @Get()
  @ApiOperation({ summary: 'Tasks, newest first, by status and domain, a page at a time' })
  async list(@Query() query: ListTasksQueryDto) {
    return { success: true, data: await this.bus.request(ListTasksRequest, query) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'A task: status, attempts, params as run, decision, result, error' })
  async get(@Param() params: TaskIdParams) {
    return { success: true, data: await this.bus.request(GetTaskRequest, { id: params.id }) };
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiOperation({ summary: 'Cancel a task that has not finished (409 if it has)' })
  async cancel(@Param() params: TaskIdParams) {
    return { success: true, data: await this.bus.request(CancelTaskRequest, { id: params.id }) };
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Queue a deferred, failed or dead task again (409 otherwise)' })
  async retry(@Param() params: TaskIdParams) {
    return { success: true, data: await this.bus.request(RetryTaskRequest, { id: params.id }) };
  }
}
