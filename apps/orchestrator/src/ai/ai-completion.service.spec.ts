import {
  AiProviderId,
  AiUsageRecord,
  BudgetExceededError,
  ErrorCode,
  ValidationError,
} from '@jarvis/contracts';
import {
  AiProvider,
  CompletionRequest,
  CompletionResult,
  ModelRouter,
  PriceTable,
  ProviderRequestError,
  ProviderServerError,
  seededRandom,
  ThompsonBandit,
  UsdAmount,
} from '@jarvis/ai';
import {
  CircuitBreaker,
  CircuitBreakerManager,
  ManualClock,
  resolveBreakerOptions,
} from '@jarvis/circuit-breaker';
import { AiCompletionService } from './ai-completion.service';
import { AiModelCatalog } from './ai-model-catalog';
import { AiBudgetService, BudgetAdmission } from './budget/ai-budget.service';
import { AiProviderPool, providerBreakerName } from './providers/ai-provider-pool';
import { AiUsageRecorder } from './usage/ai-usage.recorder';

const prices = PriceTable.fromJson(
  {
    'local-small': {
      provider: 'openai-compatible',
      inputPerMillion: '0.15',
      outputPerMillion: '0.60',
      contextWindow: 32000,
      quality: 0.6,
    },
    'claude-test': {
      provider: 'anthropic',
      inputPerMillion: '3',
      outputPerMillion: '15',
      contextWindow: 200000,
      quality: 0.9,
    },
    'gpt-test': {
      provider: 'openai',
      inputPerMillion: '0.1',
      outputPerMillion: '0.4',
      contextWindow: 100000,
    },
    'gemini-test': {
      provider: 'gemini',
      inputPerMillion: '1.25',
      outputPerMillion: '10',
      contextWindow: 1000000,
      quality: 0.85,
    },
  },
  'test',
);

/** A provider that answers or fails as the test says, and counts its calls. */
class StubProvider implements AiProvider {
  calls: CompletionRequest[] = [];
  failWith: Error | undefined;

  constructor(readonly id: AiProviderId) {}

  complete(request: CompletionRequest): Promise<CompletionResult> {
    this.calls.push(request);
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve({
      text: `answer from ${this.id}`,
      providerModel: request.model,
      promptTokens: 1234,
      completionTokens: 567,
      finishReason: 'stop',
    });
  }
}

function setup(options: { admission?: BudgetAdmission | Error; failureThreshold?: number } = {}) {
  const clock = new ManualClock();
  const breakers = new Map<string, CircuitBreaker>();
  const manager = {
    getBreaker: (name: string, overrides?: object) => {
      const breaker = new CircuitBreaker(
        name,
        resolveBreakerOptions(
          {
            enabled: true,
            failureThreshold: options.failureThreshold ?? 2,
            resetTimeoutMs: 60_000,
          },
          overrides,
        ),
        clock,
      );
      breakers.set(name, breaker);
      return breaker;
    },
  } as unknown as CircuitBreakerManager;
  const providers = {
    'openai-compatible': new StubProvider('openai-compatible'),
    anthropic: new StubProvider('anthropic'),
    gemini: new StubProvider('gemini'),
  };
  const pool = new AiProviderPool(Object.values(providers), manager);
  const charged: UsdAmount[] = [];
  const budget = {
    admit: () =>
      options.admission instanceof Error
        ? Promise.reject(options.admission)
        : Promise.resolve(options.admission ?? 'normal'),
    charge: (cost: UsdAmount) => {
      charged.push(cost);
      return Promise.resolve();
    },
  } as unknown as AiBudgetService;
  const records: AiUsageRecord[] = [];
  const usage = {
    record: (record: AiUsageRecord) => records.push(record),
  } as unknown as AiUsageRecorder;
  const router = new ModelRouter(new ThompsonBandit(seededRandom(1)));
  const service = new AiCompletionService(
    new AiModelCatalog(prices, pool),
    router,
    pool,
    budget,
    usage,
  );
  return { service, providers, breakers, charged, records, budget };
}

describe(AiCompletionService.name, () => {
  it('answers the text, model, tokens and exact cost, and charges that cost', async () => {
    const { service, charged, records } = setup();
    const answer = await service.complete({ prompt: 'hi', policy: 'cheapest', domain: 'chat' });
    expect(answer).toMatchObject({
      text: 'answer from openai-compatible',
      provider: 'openai-compatible',
      model: 'local-small',
      policy: 'cheapest',
      downgraded: false,
      promptTokens: 1234,
      completionTokens: 567,
      costUsd: '0.0005253',
      attempts: [{ provider: 'openai-compatible', model: 'local-small', outcome: 'ok' }],
    });
    expect(charged.map(String)).toEqual(['0.0005253']);
    expect(records).toEqual([
      expect.objectContaining({
        callId: answer.callId,
        provider: 'openai-compatible',
        costUsd: '0.0005253',
        success: true,
        domain: 'chat',
        action: 'complete',
        policy: 'cheapest',
      }),
    ]);
  });

  it('still answers when charging the budgets fails after the provider answered', async () => {
    const { service, budget, records } = setup();
    budget.charge = () => Promise.reject(new Error('database down'));
    const answer = await service.complete({ prompt: 'hi', policy: 'cheapest' });
    expect(answer.costUsd).toBe('0.0005253');
    expect(records).toHaveLength(1);
  });

  it('uses the model asked for by name', async () => {
    const { service, providers } = setup();
    const answer = await service.complete({ prompt: 'hi', model: 'gemini-test' });
    expect(answer).toMatchObject({ model: 'gemini-test', policy: 'explicit' });
    expect(providers.gemini.calls[0]).toMatchObject({
      model: 'gemini-test',
      maxTokens: 1024,
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  it('falls back to the next provider when one fails, and records both attempts', async () => {
    const { service, providers, records, charged } = setup();
    providers['openai-compatible'].failWith = new ProviderServerError(
      'openai-compatible',
      'HTTP 500',
    );
    const answer = await service.complete({ prompt: 'hi', policy: 'cheapest' });
    expect(answer.provider).toBe('gemini');
    expect(answer.attempts.map((attempt) => [attempt.provider, attempt.outcome])).toEqual([
      ['openai-compatible', 'server'],
      ['gemini', 'ok'],
    ]);
    expect(records.map((record) => [record.provider, record.success, record.costUsd])).toEqual([
      ['openai-compatible', false, '0'],
      ['gemini', true, '0.0072125'],
    ]);
    expect(charged.map(String)).toEqual(['0.0072125']);
  });

  it('skips a provider whose breaker is open without calling it', async () => {
    const { service, providers, breakers } = setup({ failureThreshold: 2 });
    providers['openai-compatible'].failWith = new ProviderServerError('openai-compatible', 'down');
    await service.complete({ prompt: 'one', policy: 'cheapest' });
    await service.complete({ prompt: 'two', policy: 'cheapest' });
    expect(breakers.get(providerBreakerName('openai-compatible'))!.getState()).toBe('OPEN');
    const callsBefore = providers['openai-compatible'].calls.length;

    const answer = await service.complete({ prompt: 'three', policy: 'cheapest' });
    expect(providers['openai-compatible'].calls).toHaveLength(callsBefore);
    expect(answer.attempts[0]).toMatchObject({
      provider: 'openai-compatible',
      outcome: 'circuit_open',
    });
    expect(answer.provider).toBe('gemini');
  });

  it('does not hold a rejected request against the provider, and tries the next candidate', async () => {
    const { service, providers, breakers } = setup({ failureThreshold: 1 });
    providers.gemini.failWith = new ProviderRequestError('gemini', 'HTTP 400: bad', 400);
    const answer = await service.complete({ prompt: 'hi', model: 'gemini-test' });
    expect(answer.provider).not.toBe('gemini');
    expect(breakers.get(providerBreakerName('gemini'))!.getState()).toBe('CLOSED');
  });

  it('fails with every attempt named when no provider answers', async () => {
    const { service, providers } = setup();
    for (const provider of Object.values(providers)) {
      provider.failWith = new ProviderServerError(provider.id, 'down');
    }
    const failure = service.complete({ prompt: 'hi' });
    await expect(failure).rejects.toMatchObject({
      code: ErrorCode.DownstreamUnavailable,
      details: {
        attempts: expect.arrayContaining([expect.objectContaining({ outcome: 'server' })]),
      },
    });
  });

  it('refuses the call when the budget refuses it', async () => {
    const refusal = new BudgetExceededError({
      period: 'daily',
      limitUsd: '1',
      spentUsd: '1.2',
      remainingUsd: '0',
      percent: 120,
      periodStart: '2025-01-01T00:00:00.000Z',
      resetsAt: '2025-01-02T00:00:00.000Z',
    });
    const { service, providers } = setup({ admission: refusal });
    await expect(service.complete({ prompt: 'hi' })).rejects.toMatchObject({
      code: ErrorCode.BudgetExceeded,
    });
    expect(providers.anthropic.calls).toHaveLength(0);
  });

  it('moves the call to the cheapest model when the budget says downgrade', async () => {
    const { service } = setup({ admission: 'downgrade' });
    const answer = await service.complete({ prompt: 'hi', model: 'claude-test' });
    expect(answer).toMatchObject({ model: 'local-small', policy: 'cheapest', downgraded: true });
  });

  it('leaves out models whose worst-case cost is above maxCostUsd', async () => {
    const { service } = setup();
    // 1024 output tokens at $15/M alone are 0.01536 USD; gemini's worst case is 0.01024…
    const answer = await service.complete({
      prompt: 'hi',
      policy: 'balanced',
      maxCostUsd: '0.011',
    });
    expect(['local-small', 'gemini-test']).toContain(answer.model);
    await expect(
      service.complete({ prompt: 'hi', model: 'claude-test', maxCostUsd: 0.001 }),
    ).rejects.toBeInstanceOf(ValidationError);
  });

  it('rejects an unknown model or one whose provider is not configured', async () => {
    const { service } = setup();
    await expect(service.complete({ prompt: 'hi', model: 'gpt-9' })).rejects.toThrow(
      /Unknown model "gpt-9"/,
    );
    await expect(service.complete({ prompt: 'hi', model: 'gpt-test' })).rejects.toThrow(
      /needs the openai provider, which is not configured/,
    );
  });
});
