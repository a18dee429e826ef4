import { Module } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { RetentionScheduler } from './retention.scheduler';
import { TaskHistoryRetention } from './task-history-retention';

/** Deletes task history older than `TASK_HISTORY_RETENTION_DAYS`, hourly, in small batches. */
@Module({ providers: [Clock, TaskHistoryRetention, RetentionScheduler] })
export class TaskHistoryRetentionModule {}
