import { BudgetPeriod } from '@jarvis/contracts';
import { UsdAmount } from '@jarvis/ai';

/** Injection token of the clock budgets read (a `Clock` from `@jarvis/ai`). */
export const AI_CLOCK = Symbol('AI_CLOCK');

/** The budget limits and what happens past them, read once from the configuration. */
export interface BudgetSettings {
  limits: Record<BudgetPeriod, UsdAmount | undefined>;
  policy: 'block' | 'downgrade';
  webhookUrl?: string;
}

export const BUDGET_SETTINGS = Symbol('BUDGET_SETTINGS');
