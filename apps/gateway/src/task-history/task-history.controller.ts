import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiSecurity, ApiTags } from '@nestjs/swagger';
import { RecordFeedbackRequest, TaskStatsRequest, TaskTimelineRequest } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { API_PREFIX } from '../http/api-prefix';
import {
  TaskFeedbackDto,
  TaskIdParams,
  TaskStatsQueryDto,
  TaskTimelineQueryDto,
} from './task-history.dto';

/** Task history stats, timeline and feedback, answered by the history app. */
@ApiTags('task-history')
@ApiBearerAuth()
@ApiSecurity('api-key')
@Controller(`${API_PREFIX}/tasks`)
export class TaskHistoryController {
  constructor(private readonly bus: MessageBus) {}

  @Get('history')
  @ApiOperation({
    summary: 'Success rate, durations, impact, feedback and learned optimal parameters',
  })
  async stats(@Query() query: TaskStatsQueryDto) {
    const data = await this.bus.request(TaskStatsRequest, {
      domain: query.domain,
      action: query.action,
      timeWindowHours: query.timeWindow,
      minSupport: query.minSupport,
    });
    return { success: true, data };
  }

  @Get('timeline')
  @ApiOperation({ summary: 'Executions per hour and the most recent executions' })
  async timeline(@Query() query: TaskTimelineQueryDto) {
    const data = await this.bus.request(TaskTimelineRequest, {
      domain: query.domain,
      timeWindowHours: query.timeWindow,
      recentLimit: query.limit,
    });
    return { success: true, data };
  }

  @Post(':taskId/feedback')
  @ApiOperation({ summary: 'Record feedback on a task (404 when no execution of it is known)' })
  async feedback(@Param() params: TaskIdParams, @Body() body: TaskFeedbackDto) {
    const data = await this.bus.request(RecordFeedbackRequest, {
      taskId: params.taskId,
      feedback: body.feedback,
      comment: body.comment,
    });
    return { success: true, data };
  }
}
