import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { TaskHistoryRetention } from './task-history-retention';

/** Retention runs a minute after start, then every hour. */
const FIRST_RUN_DELAY_MS = 60_000;
const INTERVAL_MS = 3_600_000;

/** Runs the retention purge on a schedule; a failed run is logged and retried at the next one. */
@Injectable()
export class RetentionScheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(RetentionScheduler.name);
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> = Promise.resolve();
  private readonly stopping = new AbortController();

  constructor(private readonly retention: TaskHistoryRetention) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_RUN_DELAY_MS);
  }

  async onModuleDestroy(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.stopping.abort();
    await this.running;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => {
      this.running = this.retention
        .purge(undefined, this.stopping.signal)
        .catch((error: unknown) => this.logger.error({ err: error }, 'Retention run failed'))
        .finally(() => {
          if (this.timer) this.schedule(INTERVAL_MS);
        });
    }, delayMs);
    this.timer.unref();
  }
}
