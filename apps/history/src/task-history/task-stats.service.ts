import { Injectable } from '@nestjs/common';
import {
  DEFAULT_MIN_SUPPORT,
  DEFAULT_STATS_WINDOW_HOURS,
  TaskStats,
  TaskStatsQuery,
} from '@jarvis/contracts';
import { Clock } from '../clock/clock';
import { chooseOptimalParameterSet } from './optimal-parameters';
import { canonicalParameters } from './parameter-set';
import { ExecutionWindow, TaskHistoryQueries } from './task-history.queries';

const HOUR_MS = 3_600_000;

/** Success rates, durations, impact, feedback and learned parameters of a window of executions. */
@Injectable()
export class TaskStatsService {
  constructor(
    private readonly queries: TaskHistoryQueries,
    private readonly clock: Clock,
  ) {}

  async getStats(query: TaskStatsQuery): Promise<TaskStats> {
    const hours = query.timeWindowHours ?? DEFAULT_STATS_WINDOW_HOURS;
    const minSupport = query.minSupport ?? DEFAULT_MIN_SUPPORT;
    const window: ExecutionWindow = {
      since: new Date(this.clock.now().getTime() - hours * HOUR_MS),
      domain: query.domain,
      action: query.action,
    };
    const aggregates = await this.queries.windowAggregates(window, minSupport);
    const optimal = chooseOptimalParameterSet(aggregates.candidates, minSupport);
    const optimalParameters = optimal
      ? await this.queries.parametersOfSet(window, optimal)
      : undefined;
    const total = aggregates.totalExecutions;
    return {
      totalExecutions: total,
      successCount: aggregates.successCount,
      failureCount: total - aggregates.successCount,
      successRate: total === 0 ? 0 : aggregates.successCount / total,
      avgDurationMs: aggregates.avgDurationMs,
      p50DurationMs: aggregates.p50DurationMs,
      p95DurationMs: aggregates.p95DurationMs,
      avgImpactScore: aggregates.avgImpactScore,
      feedback: aggregates.feedback,
      optimalParameters: optimalParameters ? canonicalParameters(optimalParameters) : null,
      lastExecutedAt: aggregates.lastExecutedAt?.toISOString() ?? null,
    };
  }
}
