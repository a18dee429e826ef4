import { Injectable } from '@nestjs/common';
import { Counter, Histogram } from 'prom-client';
import { AiUsageRecord } from '@jarvis/contracts';
import { MetricsService } from '@jarvis/observability';

/** AI calls, tokens and cost on the app's `/metrics`. */
@Injectable()
export class AiMetrics {
  private readonly calls: Counter<'provider' | 'model' | 'outcome'>;
  private readonly tokens: Counter<'provider' | 'model' | 'kind'>;
  private readonly cost: Counter<'provider' | 'model'>;
  private readonly duration: Histogram<'provider' | 'outcome'>;

  constructor(metrics: MetricsService) {
    const registers = [metrics.registry];
    this.calls = new Counter({
      name: 'jarvis_ai_calls_total',
      help: 'AI provider calls by provider, model and outcome',
      labelNames: ['provider', 'model', 'outcome'] as const,
      registers,
    });
    this.tokens = new Counter({
      name: 'jarvis_ai_tokens_total',
      help: 'Tokens reported by AI providers, by kind (prompt or completion)',
      labelNames: ['provider', 'model', 'kind'] as const,
      registers,
    });
    this.cost = new Counter({
      name: 'jarvis_ai_cost_usd_total',
      help: 'AI spend in USD (approximate here; the ledger holds the exact amounts)',
      labelNames: ['provider', 'model'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'jarvis_ai_call_duration_seconds',
      help: 'AI provider call duration by provider and outcome',
      labelNames: ['provider', 'outcome'] as const,
      buckets: [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    });
  }

  observe(record: AiUsageRecord, outcome: string): void {
    const labels = { provider: record.provider, model: record.model };
    this.calls.inc({ ...labels, outcome });
    this.tokens.inc({ ...labels, kind: 'prompt' }, record.promptTokens);
    this.tokens.inc({ ...labels, kind: 'completion' }, record.completionTokens);
    this.cost.inc(labels, Number(record.costUsd));
    this.duration.observe({ provider: record.provider, outcome }, record.latencyMs / 1000);
  }
}
