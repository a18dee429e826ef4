import { Module } from '@nestjs/common';
import { BUDGET_PERIODS, BudgetPeriod } from '@jarvis/contracts';
import {
  createProviders,
  loadPriceTable,
  ModelRouter,
  PriceTable,
  systemClock,
  ThompsonBandit,
  UsdAmount,
} from '@jarvis/ai';
import { CircuitBreakerManager } from '@jarvis/circuit-breaker';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { AiActions } from './ai.actions';
import { AiCompletionService } from './ai-completion.service';
import { AiModelCatalog } from './ai-model-catalog';
import { AI_CLOCK, BUDGET_SETTINGS, BudgetSettings } from './ai.tokens';
import { AiBudgetController } from './budget/ai-budget.controller';
import { AiBudgetService } from './budget/ai-budget.service';
import { BudgetAlertNotifier } from './budget/budget-alert.notifier';
import { BudgetAlertWebhook } from './budget/budget-alert.webhook';
import { BudgetSpendRepository } from './budget/budget-spend.repository';
import { AiProviderPool } from './providers/ai-provider-pool';
import { AiMetrics } from './usage/ai-metrics';
import { AiUsageRecorder } from './usage/ai-usage.recorder';

function budgetSettingsOf(config: JarvisConfig): BudgetSettings {
  const limits = {} as Record<BudgetPeriod, UsdAmount | undefined>;
  for (const period of BUDGET_PERIODS) {
    const limit = config.aiBudgets[period];
    limits[period] = limit === undefined ? undefined : UsdAmount.parse(limit);
  }
  return {
    limits,
    policy: config.ai.budgetPolicy,
    webhookUrl: config.ai.budgetAlertWebhookUrl,
  };
}

/**
 * AI completions through the model router: price table (validated at start), provider
 * adapters behind their breakers, budgets with alerts, and the usage ledger's records.
 */
@Module({
  controllers: [AiBudgetController],
  providers: [
    {
      provide: PriceTable,
      inject: [JARVIS_CONFIG],
      // A bad AI_PRICES_FILE stops the app at start with one line naming it.
      useFactory: (config: JarvisConfig) => loadPriceTable(config.ai.pricesFile),
    },
    {
      provide: AiProviderPool,
      inject: [JARVIS_CONFIG, CircuitBreakerManager],
      useFactory: (config: JarvisConfig, breakers: CircuitBreakerManager) => {
        const endpoints = Object.fromEntries(
          Object.entries(config.ai.providers).map(([id, settings]) => [
            id,
            { ...settings, timeoutMs: config.ai.requestTimeoutMs },
          ]),
        );
        return new AiProviderPool(createProviders(endpoints), breakers);
      },
    },
    { provide: ModelRouter, useFactory: () => new ModelRouter(new ThompsonBandit(Math.random)) },
    { provide: AI_CLOCK, useValue: systemClock },
    { provide: BUDGET_SETTINGS, inject: [JARVIS_CONFIG], useFactory: budgetSettingsOf },
    AiModelCatalog,
    AiCompletionService,
    AiBudgetService,
    BudgetSpendRepository,
    BudgetAlertNotifier,
    BudgetAlertWebhook,
    AiMetrics,
    AiUsageRecorder,
    AiActions,
  ],
  exports: [AiActions],
})
export class AiModule {}
