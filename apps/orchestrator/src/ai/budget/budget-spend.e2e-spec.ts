import { DataSource } from 'typeorm';
import { BudgetAlertEvent } from '@jarvis/contracts';
import { Clock, UsdAmount } from '@jarvis/ai';
import { openMigratedDataSource } from '@jarvis/database';
import { createTestDatabase, TestDatabase } from '@jarvis/testing';
import { orchestratorMigrations } from '../../migrations';
import { AiBudgetService } from './ai-budget.service';
import { BudgetAlertNotifier } from './budget-alert.notifier';
import { BudgetSpendRepository } from './budget-spend.repository';

jest.setTimeout(30_000);

/** Two orchestrator instances, each with its own pool, charging one budget at the same time. */
describe(`${BudgetSpendRepository.name} shared by instances`, () => {
  let database: TestDatabase;
  const dataSources: DataSource[] = [];
  const alerts: BudgetAlertEvent[] = [];
  const clock: Clock = { now: () => new Date('2025-03-12T10:00:00Z') };

  const instance = async () => {
    const dataSource = await openMigratedDataSource({
      url: database.url,
      schema: 'orchestrator',
      entities: [],
      migrations: orchestratorMigrations,
      applicationName: 'budget-test',
      poolSize: 8,
    });
    dataSources.push(dataSource);
    const notifier = {
      notify: (alert: BudgetAlertEvent) => {
        alerts.push(alert);
        return Promise.resolve();
      },
    } as unknown as BudgetAlertNotifier;
    return new AiBudgetService(new BudgetSpendRepository(dataSource), notifier, clock, {
      policy: 'block',
      limits: {
        daily: UsdAmount.parse('0.01'),
        weekly: UsdAmount.parse('0.05'),
        monthly: undefined,
      },
    });
  };

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await Promise.all(dataSources.map((dataSource) => dataSource.destroy()));
    await database.drop();
  });

  it('adds every charge exactly and sends each alert once', async () => {
    const [first, second] = await Promise.all([instance(), instance()]);
    const cost = UsdAmount.parse('0.0005253');
    // 40 charges of 0.0005253 = 0.021012: past 100 % of the daily limit, 42 % of the weekly one.
    await Promise.all(
      Array.from({ length: 40 }, (_, i) => (i % 2 === 0 ? first : second).charge(cost)),
    );

    const report = await first.report();
    expect(report.periods.map((period) => [period.period, period.spentUsd])).toEqual([
      ['daily', '0.021012'],
      ['weekly', '0.021012'],
      ['monthly', '0.021012'],
    ]);
    expect(alerts.map((alert) => [alert.period, alert.threshold]).sort()).toEqual([
      ['daily', 100],
      ['daily', 80],
    ]);
    const rows: { threshold: number }[] = await dataSources[0].query(
      'SELECT threshold FROM "orchestrator"."ai_budget_alert" ORDER BY threshold',
    );
    expect(rows.map((row) => row.threshold)).toEqual([80, 100]);
    await expect(second.admit()).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
  });
});
