import { Inject, Injectable } from '@nestjs/common';
import { TaskStatsRequest } from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { DecidedTask, decideTask, HistoryAnswer, LEARNING_WINDOW_HOURS } from './task-decision';

/** Asks history what it learned about a task's kind, then decides. */
@Injectable()
export class TaskDecider {
  constructor(
    private readonly bus: MessageBus,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'tasks'>,
  ) {}

  async decide(
    domain: string,
    action: string,
    params: Record<string, unknown>,
  ): Promise<DecidedTask> {
    return decideTask(await this.askHistory(domain, action), params);
  }

  private async askHistory(domain: string, action: string): Promise<HistoryAnswer> {
    try {
      const stats = await this.bus.request(
        TaskStatsRequest,
        { domain, action, timeWindowHours: LEARNING_WINDOW_HOURS },
        { timeoutMs: this.config.tasks.decisionTimeoutMs },
      );
      return { stats };
    } catch (error) {
      return { unavailable: error instanceof Error ? error.message : String(error) };
    }
  }
}
