import { Module } from '@nestjs/common';
import { TaskHistoryController } from './task-history.controller';

/**
 * `/tasks/history`, `/tasks/timeline` and `/tasks/:taskId/feedback`. Listed before any
 * module with `/tasks/:id`, so that the fixed paths are matched first.
 */
@Module({ controllers: [TaskHistoryController] })
export class TaskHistoryModule {}
