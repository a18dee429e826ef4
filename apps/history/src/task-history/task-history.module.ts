import { Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { TaskFeedbackService } from './task-feedback.service';
import { TaskHistoryController } from './task-history.controller';
import { TaskHistoryQueries } from './task-history.queries';
import { TaskStatsService } from './task-stats.service';
import { TaskTimelineService } from './task-timeline.service';

/** Stats with learned parameters, the timeline and feedback, answered over NATS. */
@Module({
  controllers: [TaskHistoryController],
  providers: [
    Clock,
    TaskHistoryQueries,
    TaskStatsService,
    TaskTimelineService,
    TaskFeedbackService,
  ],
})
export class TaskHistoryModule {}
