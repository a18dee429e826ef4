import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import {
  ActionFailedError,
  AiAttempt,
  AiChatMessage,
  AiCompleteParams,
  AiCompletion,
  AiRoutingPolicy,
  AiUnavailableError,
  ErrorCode,
  JarvisError,
} from '@jarvis/contracts';
import {
  AiProviderError,
  CompletionResult,
  costOf,
  estimateCall,
  ModelRouter,
  PricedCandidate,
  UsdAmount,
} from '@jarvis/ai';
import { currentCorrelationId } from '@jarvis/observability';
import { AiModelCatalog } from './ai-model-catalog';
import { AiBudgetService } from './budget/ai-budget.service';
import { AiProviderPool, countsAgainstProvider } from './providers/ai-provider-pool';
import { AiUsageRecorder } from './usage/ai-usage.recorder';

const DEFAULT_MAX_TOKENS = 1024;
/** Enough to try every provider once, plus a model or two refused as a bad request. */
const MAX_ATTEMPTS = 6;
const ACTION = 'complete';

interface CallPlan {
  policy: AiRoutingPolicy;
  downgraded: boolean;
  domain: string;
  context: string;
  messages: AiChatMessage[];
  maxTokens: number;
  temperature?: number;
  taskId: string | null;
}

/**
 * One AI completion: admitted by the budgets, routed by policy, tried provider by provider
 * (each behind its breaker) until one answers, every attempt recorded in the ledger and
 * taught to the learned policy, and the answer's exact cost charged to the budgets.
 */
@Injectable()
export class AiCompletionService {
  private readonly logger = new Logger(AiCompletionService.name);

  constructor(
    private readonly catalog: AiModelCatalog,
    private readonly router: ModelRouter,
    private readonly pool: AiProviderPool,
    private readonly budget: AiBudgetService,
    private readonly usage: AiUsageRecorder,
  ) {}

  async complete(params: AiCompleteParams): Promise<AiCompletion> {
    const downgraded = (await this.budget.admit()) === 'downgrade';
    const policy = downgraded
      ? 'cheapest'
      : (params.policy ?? (params.model ? 'explicit' : 'balanced'));
    const domain = params.domain ?? 'ai';
    const plan: CallPlan = {
      policy,
      downgraded,
      domain,
      context: `${domain}/${ACTION}`,
      messages: params.messages ?? [{ role: 'user', content: params.prompt ?? '' }],
      maxTokens: params.maxTokens ?? DEFAULT_MAX_TOKENS,
      temperature: params.temperature,
      taskId: params.taskId ?? null,
    };
    const candidates = this.catalog.candidates({
      model: policy === 'explicit' ? params.model : undefined,
      estimate: estimateCall(plan.messages, plan.maxTokens),
      maxCost: maxCostOf(params.maxCostUsd),
    });
    const ordered = this.router.order(candidates, {
      policy,
      model: params.model,
      minQuality: downgraded ? undefined : params.minQuality,
      context: plan.context,
    });
    if (ordered.length === 0) {
      throw new ActionFailedError(`No offered AI model meets minQuality ${params.minQuality}`);
    }
    return this.firstAnswer(ordered, plan);
  }

  private async firstAnswer(ordered: PricedCandidate[], plan: CallPlan): Promise<AiCompletion> {
    const attempts: AiAttempt[] = [];
    const skipped = new Set<string>();
    for (const candidate of ordered) {
      if (attempts.length >= MAX_ATTEMPTS) break;
      if (skipped.has(candidate.provider)) continue;
      const callId = randomUUID();
      const started = performance.now();
      let result: CompletionResult;
      try {
        result = await this.pool.complete(candidate.provider, {
          model: candidate.model,
          messages: plan.messages,
          maxTokens: plan.maxTokens,
          temperature: plan.temperature,
        });
      } catch (error) {
        const latencyMs = Math.round(performance.now() - started);
        if (isCircuitOpen(error)) {
          skipped.add(candidate.provider);
          attempts.push({ ...attemptOf(candidate), outcome: 'circuit_open', latencyMs: 0 });
          continue;
        }
        // A provider that failed is not asked again in this call; a refused request may suit its next model.
        if (countsAgainstProvider(error)) skipped.add(candidate.provider);
        const kind = error instanceof AiProviderError ? error.kind : 'bad_response';
        const message = error instanceof Error ? error.message : String(error);
        attempts.push({ ...attemptOf(candidate), outcome: kind, latencyMs, error: message });
        this.recordAttempt(
          candidate,
          plan,
          {
            callId,
            latencyMs,
            usage: { promptTokens: 0, completionTokens: 0 },
            cost: UsdAmount.ZERO,
            error: message,
          },
          kind,
        );
        continue;
      }
      const latencyMs = Math.round(performance.now() - started);
      const cost = costOf(candidate.price, result);
      attempts.push({ ...attemptOf(candidate), outcome: 'ok', latencyMs });
      this.recordAttempt(
        candidate,
        plan,
        { callId, latencyMs, usage: result, cost, error: null },
        'ok',
      );
      await this.budget.charge(cost).catch((error: unknown) =>
        // The answer is paid for: hand it over; the ledger still has the cost.
        this.logger.error(
          { err: error, callId, costUsd: cost.toString() },
          'Charging an AI call to the budgets failed',
        ),
      );
      return {
        text: result.text,
        provider: candidate.provider,
        model: candidate.model,
        policy: plan.policy,
        downgraded: plan.downgraded,
        promptTokens: result.promptTokens,
        completionTokens: result.completionTokens,
        costUsd: cost.toString(),
        latencyMs,
        callId,
        attempts,
      };
    }
    throw new AiUnavailableError(attempts);
  }

  private recordAttempt(
    candidate: PricedCandidate,
    plan: CallPlan,
    attempt: {
      callId: string;
      latencyMs: number;
      usage: { promptTokens: number; completionTokens: number };
      cost: UsdAmount;
      error: string | null;
    },
    outcome: string,
  ): void {
    const success = attempt.error === null;
    this.usage.record(
      {
        callId: attempt.callId,
        provider: candidate.provider,
        model: candidate.model,
        promptTokens: attempt.usage.promptTokens,
        completionTokens: attempt.usage.completionTokens,
        costUsd: attempt.cost.toString(),
        latencyMs: attempt.latencyMs,
        success,
        error: attempt.error?.slice(0, 500) ?? null,
        domain: plan.domain,
        action: ACTION,
        policy: plan.policy,
        taskId: plan.taskId,
        correlationId: currentCorrelationId() ?? null,
        createdAt: new Date().toISOString(),
      },
      outcome,
    );
    this.router.observe(plan.context, candidate.model, {
      success,
      latencyMs: attempt.latencyMs,
      costUsd: attempt.cost.toNumber(),
    });
  }
}

function attemptOf(candidate: PricedCandidate): Pick<AiAttempt, 'provider' | 'model'> {
  return { provider: candidate.provider, model: candidate.model };
}

function isCircuitOpen(error: unknown): boolean {
  return error instanceof JarvisError && error.code === ErrorCode.CircuitOpen;
}

function maxCostOf(value: string | number | undefined): UsdAmount | undefined {
  if (value === undefined) return undefined;
  return UsdAmount.parse(typeof value === 'number' ? value.toFixed(12) : value);
}
