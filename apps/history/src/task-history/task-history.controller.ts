import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import {
  RecordFeedbackRequest,
  recordFeedbackSchema,
  TaskFeedback,
  TaskStats,
  TaskStatsRequest,
  taskStatsQuerySchema,
  TaskTimeline,
  TaskTimelineRequest,
  timelineQuerySchema,
} from '@jarvis/contracts';
import { parsePayload } from './parse-payload';
import { TaskFeedbackService } from './task-feedback.service';
import { TaskStatsService } from './task-stats.service';
import { TaskTimelineService } from './task-timeline.service';

/** Stats, timeline and feedback over NATS request/reply. */
@Controller()
export class TaskHistoryController {
  constructor(
    private readonly stats: TaskStatsService,
    private readonly timeline: TaskTimelineService,
    private readonly feedback: TaskFeedbackService,
  ) {}

  @MessagePattern(TaskStatsRequest.subject)
  getStats(@Payload() payload: unknown): Promise<TaskStats> {
    return this.stats.getStats(parsePayload(taskStatsQuerySchema, payload, 'stats query'));
  }

  @MessagePattern(TaskTimelineRequest.subject)
  getTimeline(@Payload() payload: unknown): Promise<TaskTimeline> {
    return this.timeline.getTimeline(parsePayload(timelineQuerySchema, payload, 'timeline query'));
  }

  @MessagePattern(RecordFeedbackRequest.subject)
  recordFeedback(@Payload() payload: unknown): Promise<TaskFeedback> {
    return this.feedback.recordFeedback(
      parsePayload(recordFeedbackSchema, payload, 'feedback command'),
    );
  }
}
