import { z } from 'zod';
import { ErrorCode } from './error-codes';
import { JarvisError } from './jarvis-error';
import { defineEvent, defineRequest } from './request-contract';

/** The AI providers the suite can call; each is offered only when its key or base URL is set. */
export const AI_PROVIDER_IDS = ['openai', 'anthropic', 'gemini', 'openai-compatible'] as const;
export type AiProviderId = (typeof AI_PROVIDER_IDS)[number];

/**
 * How the router picks a model: the one asked for, the cheapest (above an optional quality
 * bar), the best quality for its cost, or learned per (domain, action) from outcomes.
 */
export const AI_ROUTING_POLICIES = ['explicit', 'cheapest', 'balanced', 'learned'] as const;
export type AiRoutingPolicy = (typeof AI_ROUTING_POLICIES)[number];

/** A USD amount as a decimal string (never a float): `0.0005253`. */
const usdString = z
  .string()
  .regex(/^\d{1,12}(\.\d{1,12})?$/, 'must be a non-negative USD amount such as 0.05');

const chatMessageSchema = z.object({
  role: z.enum(['system', 'user', 'assistant']),
  content: z.string().min(1).max(200_000),
});
export type AiChatMessage = z.infer<typeof chatMessageSchema>;

/** Params of the `ai` module's `complete` action (from `execute` or a task). */
export const aiCompleteParamsSchema = z
  .object({
    prompt: z.string().min(1).max(200_000).optional(),
    messages: z.array(chatMessageSchema).min(1).max(500).optional(),
    model: z.string().min(1).max(128).optional(),
    policy: z.enum(AI_ROUTING_POLICIES).optional(),
    /** Models whose worst-case cost for this call is above it are not tried. */
    maxCostUsd: z.union([usdString, z.number().nonnegative().max(1_000_000)]).optional(),
    /** 0..1: `cheapest` and `learned` skip models rated below it in the price table. */
    minQuality: z.number().min(0).max(1).optional(),
    maxTokens: z.number().int().min(1).max(200_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    /** What the call is for (the learned policy's context and the ledger's domain); default `ai`. */
    domain: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'must be lower-case letters, digits, "_" or "-"')
      .optional(),
    taskId: z.string().min(1).max(64).optional(),
  })
  .strict()
  .refine((params) => (params.prompt === undefined) !== (params.messages === undefined), {
    message: 'give either prompt or messages',
    path: ['prompt'],
  })
  .refine((params) => params.policy !== 'explicit' || params.model !== undefined, {
    message: 'the explicit policy needs a model',
    path: ['model'],
  });
export type AiCompleteParams = z.infer<typeof aiCompleteParamsSchema>;

/** Why one provider was not the one that answered. */
export type AiAttemptOutcome =
  | 'ok'
  | 'circuit_open'
  | 'rate_limited'
  | 'auth'
  | 'server'
  | 'timeout'
  | 'unreachable'
  | 'bad_request'
  | 'bad_response';

export interface AiAttempt {
  provider: AiProviderId;
  model: string;
  outcome: AiAttemptOutcome;
  latencyMs: number;
  error?: string;
}

/** What `ai`/`complete` answers. */
export interface AiCompletion {
  text: string;
  provider: AiProviderId;
  model: string;
  policy: AiRoutingPolicy;
  /** True when the budget policy moved the call to the cheapest model. */
  downgraded: boolean;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  latencyMs: number;
  callId: string;
  /** Every provider tried or skipped, in order; the last one answered. */
  attempts: AiAttempt[];
}

/**
 * Durable stream of AI usage records, one per call attempt, for the history ledger.
 * Limits retention keeps a week, so records published while history is down are stored
 * when it comes back.
 */
export const AI_USAGE_STREAM = {
  name: 'AI_USAGE',
  subjects: ['ai.usage.v1.>'],
  retention: 'limits',
  maxAgeMs: 7 * 24 * 3_600_000,
  duplicateWindowMs: 10 * 60_000,
} as const;

/** History's durable consumer of {@link AI_USAGE_STREAM}. */
export const HISTORY_AI_USAGE_DURABLE = 'history-ai-usage-store';

/** Subject of one usage record: one token per provider, under the stream's versioned root. */
export function aiUsageSubject(provider: AiProviderId): string {
  return `ai.usage.v1.${provider}`;
}

/** One AI call attempt, successful or not; `callId` makes a redelivery a no-op. */
export const aiUsageRecordSchema = z.object({
  callId: z.uuid(),
  provider: z.enum(AI_PROVIDER_IDS),
  model: z.string().min(1).max(128),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costUsd: usdString,
  latencyMs: z.number().int().nonnegative(),
  success: z.boolean(),
  error: z.string().max(500).nullable(),
  domain: z.string().min(1).max(64),
  action: z.string().min(1).max(64),
  policy: z.enum(AI_ROUTING_POLICIES),
  taskId: z.string().max(64).nullable(),
  correlationId: z.string().max(128).nullable(),
  createdAt: z.iso.datetime(),
});
export type AiUsageRecord = z.infer<typeof aiUsageRecordSchema>;

export const AI_USAGE_GROUPINGS = ['provider', 'model', 'domain', 'day'] as const;
export type AiUsageGrouping = (typeof AI_USAGE_GROUPINGS)[number];

export interface AiUsageQueryData {
  /** ISO 8601, inclusive. */
  from: string;
  /** ISO 8601, exclusive. */
  to: string;
  groupBy?: AiUsageGrouping;
}

export interface AiUsageTotals {
  calls: number;
  successes: number;
  failures: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: string;
  avgLatencyMs: number | null;
}

export interface AiUsageReport {
  from: string;
  to: string;
  groupBy: AiUsageGrouping | null;
  totals: AiUsageTotals;
  groups: (AiUsageTotals & { key: string })[];
}

/** Totals and groups of the AI usage ledger over a time range; answered by history. */
export const AiUsageQuery = defineRequest<AiUsageQueryData, AiUsageReport>(
  'history.ai.usage.get.v1',
);

export const BUDGET_PERIODS = ['daily', 'weekly', 'monthly'] as const;
export type BudgetPeriod = (typeof BUDGET_PERIODS)[number];

export interface BudgetPeriodStatus {
  period: BudgetPeriod;
  /** Null when no limit is configured for the period. */
  limitUsd: string | null;
  spentUsd: string;
  remainingUsd: string | null;
  /** Spent as a percentage of the limit, two decimals. */
  percent: number | null;
  periodStart: string;
  resetsAt: string;
}

export interface AiBudgetReport {
  policy: 'block' | 'downgrade';
  periods: BudgetPeriodStatus[];
}

/** The spend of each budget period; answered by the orchestrator, which enforces them. */
export const AiBudgetQuery = defineRequest<Record<string, never>, AiBudgetReport>(
  'orchestrator.ai.budget.get.v1',
);

export const BUDGET_ALERT_THRESHOLDS = [80, 100] as const;
export type BudgetAlertThreshold = (typeof BUDGET_ALERT_THRESHOLDS)[number];

export interface BudgetAlertEvent {
  period: BudgetPeriod;
  periodStart: string;
  threshold: BudgetAlertThreshold;
  limitUsd: string;
  spentUsd: string;
  percent: number;
  resetsAt: string;
  at: string;
}

/** Sent once per period and threshold, however many orchestrator instances run. */
export const BudgetAlert = defineEvent<BudgetAlertEvent>('budget.alert.v1');

/** An AI call refused because a budget period is spent (`AI_BUDGET_POLICY=block`). */
export class BudgetExceededError extends JarvisError {
  constructor(status: BudgetPeriodStatus) {
    super(
      ErrorCode.BudgetExceeded,
      `The ${status.period} AI budget of ${status.limitUsd} USD is spent (${status.spentUsd} USD); AI calls are refused until ${status.resetsAt}`,
      {
        period: status.period,
        limitUsd: status.limitUsd,
        spentUsd: status.spentUsd,
        resetsAt: status.resetsAt,
      },
    );
  }
}

/** No provider could answer an AI call: each failed or had its breaker open. */
export class AiUnavailableError extends JarvisError {
  constructor(attempts: AiAttempt[]) {
    const tried = attempts
      .map((attempt) => `${attempt.provider}/${attempt.model}: ${attempt.outcome}`)
      .join('; ');
    super(ErrorCode.DownstreamUnavailable, `No AI provider answered (${tried || 'none offered'})`, {
      attempts,
    });
  }
}
