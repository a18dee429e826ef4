import { Injectable } from '@nestjs/common';
import { DEFAULT_TIMELINE_WINDOW_HOURS, TaskTimeline, TimelineQuery } from '@jarvis/contracts';
import { Clock } from '../clock/clock';
import { TaskHistoryQueries } from './task-history.queries';

const HOUR_MS = 3_600_000;
const DEFAULT_RECENT_LIMIT = 20;

/** Hourly execution counts and the latest executions of a window. */
@Injectable()
export class TaskTimelineService {
  constructor(
    private readonly queries: TaskHistoryQueries,
    private readonly clock: Clock,
  ) {}

  async getTimeline(query: TimelineQuery): Promise<TaskTimeline> {
    const hours = query.timeWindowHours ?? DEFAULT_TIMELINE_WINDOW_HOURS;
    const now = this.clock.now();
    const window = { since: new Date(now.getTime() - hours * HOUR_MS), domain: query.domain };
    const [buckets, recentExecutions] = await Promise.all([
      this.queries.hourlyBuckets(window, now),
      this.queries.recentExecutions(window, query.recentLimit ?? DEFAULT_RECENT_LIMIT),
    ]);
    return { timeWindowHours: hours, buckets, recentExecutions };
  }
}
