import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  AiBudgetReport,
  BUDGET_PERIODS,
  BudgetExceededError,
  BudgetPeriodStatus,
} from '@jarvis/contracts';
import {
  budgetStatus,
  budgetWindow,
  BudgetWindow,
  type Clock,
  isExhausted,
  thresholdsCrossed,
  UsdAmount,
} from '@jarvis/ai';
import { AI_CLOCK, BUDGET_SETTINGS, type BudgetSettings } from '../ai.tokens';
import { BudgetAlertNotifier } from './budget-alert.notifier';
import { BudgetSpendRepository } from './budget-spend.repository';

/** What a call may do under the budgets right now. */
export type BudgetAdmission = 'normal' | 'downgrade';

/**
 * The daily, weekly and monthly AI budgets (UTC; weeks from Monday): admits or refuses a
 * call before it is made, charges its cost after, and raises the 80 % and 100 % alerts —
 * each once per period, whichever instance's charge crosses it.
 */
@Injectable()
export class AiBudgetService {
  private readonly logger = new Logger(AiBudgetService.name);
  private readonly instance = randomUUID();

  constructor(
    private readonly spend: BudgetSpendRepository,
    private readonly notifier: BudgetAlertNotifier,
    @Inject(AI_CLOCK) private readonly clock: Clock,
    @Inject(BUDGET_SETTINGS) private readonly settings: BudgetSettings,
  ) {}

  /** Refuses a call past 100 % under `block`; moves it to the cheapest model under `downgrade`. */
  async admit(): Promise<BudgetAdmission> {
    const limited = this.windows().filter((window) => this.settings.limits[window.period]);
    if (limited.length === 0) return 'normal';
    const spent = await this.spend.spentIn(limited);
    const exhausted = limited.find((window) =>
      isExhausted(this.settings.limits[window.period]!, spent.get(window.period) ?? UsdAmount.ZERO),
    );
    if (!exhausted) return 'normal';
    if (this.settings.policy === 'downgrade') return 'downgrade';
    throw new BudgetExceededError(
      budgetStatus(
        exhausted,
        this.settings.limits[exhausted.period],
        spent.get(exhausted.period) ?? UsdAmount.ZERO,
      ),
    );
  }

  /** Adds a call's cost to every period and sends the alerts it crossed. */
  async charge(cost: UsdAmount): Promise<void> {
    if (cost.isZero()) return;
    const windows = this.windows();
    const changes = await this.spend.add(windows, cost);
    const alerts: Promise<void>[] = [];
    for (const change of changes) {
      const limit = this.settings.limits[change.period];
      if (!limit) continue;
      const window = windows.find((candidate) => candidate.period === change.period)!;
      for (const threshold of thresholdsCrossed(limit, change.before, change.after)) {
        const claimed = await this.spend.claimAlert(
          window,
          threshold,
          limit,
          change.after,
          this.instance,
        );
        if (!claimed) continue;
        const status = budgetStatus(window, limit, change.after);
        alerts.push(
          this.notifier.notify({
            period: window.period,
            periodStart: status.periodStart,
            threshold,
            limitUsd: limit.toString(),
            spentUsd: status.spentUsd,
            percent: status.percent ?? 100,
            resetsAt: status.resetsAt,
            at: this.clock.now().toISOString(),
          }),
        );
      }
    }
    // The webhook may be slow; the call's answer does not wait for it.
    void Promise.all(alerts).catch((error: unknown) =>
      this.logger.error({ err: error }, 'Sending a budget alert failed'),
    );
  }

  async report(): Promise<AiBudgetReport> {
    const windows = this.windows();
    const spent = await this.spend.spentIn(windows);
    const periods: BudgetPeriodStatus[] = windows.map((window) =>
      budgetStatus(
        window,
        this.settings.limits[window.period],
        spent.get(window.period) ?? UsdAmount.ZERO,
      ),
    );
    return { policy: this.settings.policy, periods };
  }

  private windows(): BudgetWindow[] {
    const now = this.clock.now();
    return BUDGET_PERIODS.map((period) => budgetWindow(period, now));
  }
}
