import { UsdAmount } from '../money/usd-amount';
import { PriceTable } from '../prices/price-table';
import { eligibleModels, estimateCall } from './call-estimate';
import { ModelRouter, RouteCandidate } from './model-router';
import { seededRandom } from './random';
import { ThompsonBandit } from './thompson-bandit';

const candidate = (model: string, quality: number, cost: number): RouteCandidate => ({
  model,
  provider: 'openai',
  quality,
  expectedCostUsd: cost,
});

const candidates = [
  candidate('premium', 0.95, 0.05),
  candidate('standard', 0.85, 0.01),
  candidate('mini', 0.7, 0.0005),
  candidate('local', 0.5, 0),
];

const models = (ordered: RouteCandidate[]) => ordered.map((c) => c.model);

describe(ModelRouter.name, () => {
  const router = () => new ModelRouter(new ThompsonBandit(seededRandom(1)));

  it('tries the asked model first, then the balanced order', () => {
    expect(
      models(router().order(candidates, { policy: 'explicit', model: 'premium', context: 'c' })),
    ).toEqual(['premium', 'standard', 'mini', 'local']);
  });

  it('orders cheapest first, above the quality bar', () => {
    expect(models(router().order(candidates, { policy: 'cheapest', context: 'c' }))).toEqual([
      'local',
      'mini',
      'standard',
      'premium',
    ]);
    expect(
      models(router().order(candidates, { policy: 'cheapest', minQuality: 0.8, context: 'c' })),
    ).toEqual(['standard', 'premium']);
  });

  it('balances quality against relative cost', () => {
    // premium 0.95 - 0.3, standard 0.85 - 0.06, mini 0.7 - 0.003, local 0.5.
    expect(models(router().order(candidates, { policy: 'balanced', context: 'c' }))).toEqual([
      'standard',
      'mini',
      'premium',
      'local',
    ]);
  });

  it('learns per context from observed outcomes', () => {
    const learned = router();
    for (let i = 0; i < 200; i++) {
      learned.observe('code/review', 'mini', { success: false, latencyMs: 300, costUsd: 0.0005 });
      learned.observe('code/review', 'local', { success: false, latencyMs: 300, costUsd: 0 });
      learned.observe('code/review', 'standard', { success: true, latencyMs: 900, costUsd: 0.01 });
    }
    const ordered = learned.order(candidates, { policy: 'learned', context: 'code/review' });
    expect(ordered[0].model).toBe('standard');
    expect(ordered).toHaveLength(4);
  });

  it('leaves nothing when no candidate meets the quality bar', () => {
    expect(
      router().order(candidates, { policy: 'learned', minQuality: 0.99, context: 'c' }),
    ).toEqual([]);
  });
});

describe(eligibleModels.name, () => {
  const table = PriceTable.fromJson(
    {
      'gpt-4o': {
        provider: 'openai',
        inputPerMillion: '2.50',
        outputPerMillion: '10',
        contextWindow: 128000,
        quality: 0.85,
      },
      'gpt-4o-mini': {
        provider: 'openai',
        inputPerMillion: '0.15',
        outputPerMillion: '0.60',
        contextWindow: 128000,
      },
      'claude-sonnet': {
        provider: 'anthropic',
        inputPerMillion: '3',
        outputPerMillion: '15',
        contextWindow: 200000,
      },
      tiny: { provider: 'openai', inputPerMillion: '0', outputPerMillion: '0', contextWindow: 500 },
    },
    'test',
  );
  const estimate = estimateCall([{ role: 'user', content: 'x'.repeat(4000) }], 1000);

  it('estimates the prompt from its length', () => {
    expect(estimate).toEqual({
      promptTokens: 1004,
      maxOutputTokens: 1000,
      expectedOutputTokens: 256,
    });
  });

  it('keeps offered models that fit the context window and the cost cap', () => {
    const { eligible, excluded } = eligibleModels(
      table.models(),
      new Set(['openai'] as const),
      estimate,
      UsdAmount.parse('0.005'),
    );
    expect(eligible.map((model) => model.model)).toEqual(['gpt-4o-mini']);
    expect(eligible[0].worstCaseCost.toString()).toBe('0.0007506');
    expect(excluded).toEqual([
      { model: 'gpt-4o', reason: 'worst-case cost 0.01251 USD is above maxCostUsd' },
      { model: 'claude-sonnet', reason: 'provider anthropic is not configured' },
      { model: 'tiny', reason: 'context window too small' },
    ]);
  });
});
