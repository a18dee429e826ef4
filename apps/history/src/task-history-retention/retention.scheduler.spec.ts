import { RetentionScheduler } from './retention.scheduler';
import { RetentionReport, TaskHistoryRetention } from './task-history-retention';

class CountingRetention {
  runs = 0;
  signals: (AbortSignal | undefined)[] = [];
  purge(_now?: Date, signal?: AbortSignal): Promise<RetentionReport> {
    this.runs += 1;
    this.signals.push(signal);
    return this.runs === 2
      ? Promise.reject(new Error('database away'))
      : Promise.resolve({
          cutoff: '',
          executionsDeleted: 0,
          feedbackDeleted: 0,
          batches: 0,
          ran: true,
        });
  }
}

describe(RetentionScheduler.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('runs a minute after start, then hourly, through a failed run, until stopped', async () => {
    const retention = new CountingRetention();
    const scheduler = new RetentionScheduler(retention as unknown as TaskHistoryRetention);
    scheduler.onApplicationBootstrap();

    await jest.advanceTimersByTimeAsync(59_999);
    expect(retention.runs).toBe(0);
    await jest.advanceTimersByTimeAsync(1);
    expect(retention.runs).toBe(1);
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(retention.runs).toBe(2);
    await jest.advanceTimersByTimeAsync(3_600_000);
    expect(retention.runs).toBe(3);

    await scheduler.onModuleDestroy();
    expect(retention.signals[0]?.aborted).toBe(true);
    await jest.advanceTimersByTimeAsync(10 * 3_600_000);
    expect(retention.runs).toBe(3);
  });
});
