import {
  BudgetAlertEvent,
  BudgetAlertThreshold,
  BudgetExceededError,
  BudgetPeriod,
} from '@jarvis/contracts';
import { BudgetWindow, Clock, UsdAmount } from '@jarvis/ai';
import { BudgetSettings } from '../ai.tokens';
import { AiBudgetService } from './ai-budget.service';
import { BudgetAlertNotifier } from './budget-alert.notifier';
import { BudgetSpendRepository, SpendChange } from './budget-spend.repository';

/** The repository's rules in memory: totals per (period, start), one alert per threshold. */
class InMemorySpend {
  readonly totals = new Map<string, UsdAmount>();
  readonly alerts = new Set<string>();

  spentIn(windows: BudgetWindow[]): Promise<Map<BudgetPeriod, UsdAmount>> {
    const spent = new Map<BudgetPeriod, UsdAmount>();
    for (const window of windows) {
      const total = this.totals.get(key(window));
      if (total) spent.set(window.period, total);
    }
    return Promise.resolve(spent);
  }

  add(windows: BudgetWindow[], cost: UsdAmount): Promise<SpendChange[]> {
    return Promise.resolve(
      windows.map((window) => {
        const before = this.totals.get(key(window)) ?? UsdAmount.ZERO;
        const after = before.plus(cost);
        this.totals.set(key(window), after);
        return { period: window.period, before, after };
      }),
    );
  }

  claimAlert(window: BudgetWindow, threshold: BudgetAlertThreshold): Promise<boolean> {
    const id = `${key(window)}/${threshold}`;
    if (this.alerts.has(id)) return Promise.resolve(false);
    this.alerts.add(id);
    return Promise.resolve(true);
  }
}

const key = (window: BudgetWindow) => `${window.period}@${window.start.toISOString()}`;

class FakeClock implements Clock {
  constructor(public current: Date) {}
  now(): Date {
    return this.current;
  }
}

function setup(limits: Partial<Record<BudgetPeriod, string>>, policy: 'block' | 'downgrade') {
  const spend = new InMemorySpend();
  const alerts: BudgetAlertEvent[] = [];
  const notifier = {
    notify: (alert: BudgetAlertEvent) => {
      alerts.push(alert);
      return Promise.resolve();
    },
  } as unknown as BudgetAlertNotifier;
  const clock = new FakeClock(new Date('2025-03-12T10:00:00Z')); // a Wednesday
  const settings: BudgetSettings = {
    policy,
    limits: {
      daily: limits.daily ? UsdAmount.parse(limits.daily) : undefined,
      weekly: limits.weekly ? UsdAmount.parse(limits.weekly) : undefined,
      monthly: limits.monthly ? UsdAmount.parse(limits.monthly) : undefined,
    },
  };
  const budget = new AiBudgetService(
    spend as unknown as BudgetSpendRepository,
    notifier,
    clock,
    settings,
  );
  return { budget, alerts, clock, spend };
}

const cost = UsdAmount.parse('0.0005253');

describe(AiBudgetService.name, () => {
  it('alerts once at 80 % and once at 100 %, however many calls follow', async () => {
    const { budget, alerts } = setup({ daily: '0.0012' }, 'block');
    await budget.charge(cost); // 43.77 %
    expect(alerts).toEqual([]);
    await budget.charge(cost); // 87.55 %
    expect(alerts.map((alert) => [alert.period, alert.threshold])).toEqual([['daily', 80]]);
    await budget.charge(cost); // 131.32 %
    await budget.charge(cost);
    expect(alerts.map((alert) => alert.threshold)).toEqual([80, 100]);
    expect(alerts[1]).toMatchObject({
      period: 'daily',
      limitUsd: '0.0012',
      spentUsd: '0.0015759',
      percent: 131.32,
      periodStart: '2025-03-12T00:00:00.000Z',
      resetsAt: '2025-03-13T00:00:00.000Z',
    });
  });

  it('raises both alerts when one call jumps past 100 %', async () => {
    const { budget, alerts } = setup({ weekly: '0.0005' }, 'block');
    await budget.charge(cost);
    expect(alerts.map((alert) => [alert.period, alert.threshold])).toEqual([
      ['weekly', 80],
      ['weekly', 100],
    ]);
  });

  it('refuses calls past 100 % under block, with the period and its reset time', async () => {
    const { budget } = setup({ daily: '0.001' }, 'block');
    await expect(budget.admit()).resolves.toBe('normal');
    await budget.charge(cost);
    await expect(budget.admit()).resolves.toBe('normal');
    await budget.charge(cost);
    const refusal = budget.admit();
    await expect(refusal).rejects.toBeInstanceOf(BudgetExceededError);
    await expect(refusal).rejects.toMatchObject({
      message: expect.stringContaining('daily AI budget of 0.001 USD is spent'),
      details: { period: 'daily', resetsAt: '2025-03-13T00:00:00.000Z' },
    });
  });

  it('downgrades instead under downgrade', async () => {
    const { budget } = setup({ monthly: '0.0001' }, 'downgrade');
    await budget.charge(cost);
    await expect(budget.admit()).resolves.toBe('downgrade');
  });

  it('starts a new period at UTC midnight with nothing spent and alerts again', async () => {
    const { budget, alerts, clock } = setup({ daily: '0.0005' }, 'block');
    await budget.charge(cost);
    await expect(budget.admit()).rejects.toBeInstanceOf(BudgetExceededError);
    clock.current = new Date('2025-03-13T00:00:00Z');
    await expect(budget.admit()).resolves.toBe('normal');
    await budget.charge(cost);
    expect(alerts.map((alert) => [alert.periodStart.slice(0, 10), alert.threshold])).toEqual([
      ['2025-03-12', 80],
      ['2025-03-12', 100],
      ['2025-03-13', 80],
      ['2025-03-13', 100],
    ]);
  });

  it('reports each period, with nulls where no limit is set', async () => {
    const { budget } = setup({ daily: '0.0012' }, 'block');
    await budget.charge(cost);
    const report = await budget.report();
    expect(report.policy).toBe('block');
    expect(report.periods).toEqual([
      {
        period: 'daily',
        limitUsd: '0.0012',
        spentUsd: '0.0005253',
        remainingUsd: '0.0006747',
        percent: 43.77,
        periodStart: '2025-03-12T00:00:00.000Z',
        resetsAt: '2025-03-13T00:00:00.000Z',
      },
      expect.objectContaining({
        period: 'weekly',
        limitUsd: null,
        spentUsd: '0.0005253',
        percent: null,
        periodStart: '2025-03-10T00:00:00.000Z',
        resetsAt: '2025-03-17T00:00:00.000Z',
      }),
      expect.objectContaining({
        period: 'monthly',
        periodStart: '2025-03-01T00:00:00.000Z',
        resetsAt: '2025-04-01T00:00:00.000Z',
      }),
    ]);
  });

  it('admits everything when no budget is set', async () => {
    const { budget } = setup({}, 'block');
    await budget.charge(UsdAmount.parse('1000'));
    await expect(budget.admit()).resolves.toBe('normal');
  });
});
