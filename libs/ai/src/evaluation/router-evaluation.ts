import { ModelRouter, RouteCandidate } from '../routing/model-router';
import { Random, seededRandom } from '../routing/random';
import { ThompsonBandit } from '../routing/thompson-bandit';
import { groupReplay, ReplayPrompt, ReplayRow } from './replay';

export interface EvaluationSettings {
  /** A score at or above it is a success. */
  successThreshold: number;
  /** Share of prompts (from the start of the file) used to calibrate the policies. */
  warmupFraction: number;
  /** `cheapest-bar` keeps models whose warm-up success rate is at least this share of the strongest's. */
  qualityBarShare: number;
  seed: number;
  /** Extra learned policies with these bandit cost weights (`learned-cw<weight>`), for the trade-off. */
  learnedCostWeights: number[];
}

export const DEFAULT_EVALUATION_SETTINGS: EvaluationSettings = {
  successThreshold: 0.5,
  warmupFraction: 0.2,
  qualityBarShare: 0.9,
  seed: 1,
  learnedCostWeights: [0.1, 0.03],
};

export interface PolicyResult {
  policy: string;
  prompts: number;
  successRate: number;
  costUsd: number;
  costPerSuccessUsd: number | null;
  meanLatencyMs: number;
  p95LatencyMs: number;
  /** 1 − cost ÷ the strongest model's cost. */
  savings: number;
  /** Success rate ÷ the strongest model's success rate. */
  successRatio: number;
  /** How often each model was picked. */
  picks: Record<string, number>;
}

export interface RouterEvaluation {
  models: string[];
  strongest: string;
  warmupPrompts: number;
  evaluatedPrompts: number;
  droppedPrompts: number;
  /** Per model, calibrated on the warm-up: success rate and mean cost. */
  calibration: { model: string; successRate: number; meanCostUsd: number }[];
  results: PolicyResult[];
}

type Picker = (prompt: ReplayPrompt) => string;

/**
 * Replays the file through each policy of the real router: static policies are calibrated
 * on the warm-up prompts (success rate as quality, mean cost); the learned policy starts
 * from the warm-up's outcomes and then learns online, seeing only the outcome of the model
 * it picked, in file order. Baselines: always the strongest model (highest success rate
 * over the whole file), always the cheapest, a random pick, and the oracle (the cheapest
 * model that succeeds).
 */
export function evaluateRouter(
  rows: ReplayRow[],
  settings: EvaluationSettings = DEFAULT_EVALUATION_SETTINGS,
): RouterEvaluation {
  const { prompts, models, dropped } = groupReplay(rows);
  if (prompts.length < 2 || models.length < 2) {
    throw new RangeError('The replay needs at least two prompts answered by at least two models');
  }
  const succeeded = (row: ReplayRow) => row.score >= settings.successThreshold;
  const warmupCount = Math.min(
    prompts.length - 1,
    Math.max(1, Math.ceil(prompts.length * settings.warmupFraction)),
  );
  const warmup = prompts.slice(0, warmupCount);
  const evaluated = prompts.slice(warmupCount);

  const calibration = models.map((model) => {
    const outcomes = warmup.map((prompt) => prompt.outcomes.get(model)!);
    return {
      model,
      successRate: mean(outcomes.map((row) => (succeeded(row) ? 1 : 0))),
      meanCostUsd: mean(outcomes.map((row) => row.costUsd)),
    };
  });
  const strongest = [...models].sort(
    (a, b) =>
      successRate(prompts, b, succeeded) - successRate(prompts, a, succeeded) || a.localeCompare(b),
  )[0];
  const candidates: RouteCandidate[] = calibration.map((entry) => ({
    model: entry.model,
    provider: 'replay',
    quality: entry.successRate,
    expectedCostUsd: entry.meanCostUsd,
  }));
  const strongestQuality = calibration.find((entry) => entry.model === strongest)!.successRate;
  const cheapestModel = [...candidates].sort(
    (a, b) => a.expectedCostUsd - b.expectedCostUsd || b.quality - a.quality,
  )[0].model;

  const staticRouter = new ModelRouter(new ThompsonBandit(seededRandom(settings.seed)));
  const routed =
    (policy: 'cheapest' | 'balanced', minQuality?: number): Picker =>
    () =>
      staticRouter.order(candidates, { policy, minQuality, context: 'static' })[0].model;

  const learnedWith = (settingsOverride: { costWeight?: number }): Picker => {
    const router = new ModelRouter(
      new ThompsonBandit(seededRandom(settings.seed), settingsOverride),
    );
    for (const prompt of warmup) {
      for (const [model, row] of prompt.outcomes) {
        router.observe(prompt.domain, model, outcomeOf(row, succeeded));
      }
    }
    return (prompt) => {
      const model = router.order(candidates, { policy: 'learned', context: prompt.domain })[0]
        .model;
      router.observe(prompt.domain, model, outcomeOf(prompt.outcomes.get(model)!, succeeded));
      return model;
    };
  };
  const random: Random = seededRandom(settings.seed + 1);
  const pickers: [string, Picker][] = [
    ['strongest', () => strongest],
    ['cheapest', () => cheapestModel],
    ['random', () => models[Math.floor(random() * models.length)]],
    ['oracle', (prompt) => oracle(prompt, succeeded)],
    ['cheapest-bar', routed('cheapest', strongestQuality * settings.qualityBarShare)],
    ['balanced', routed('balanced')],
    ['learned', learnedWith({})],
    ...settings.learnedCostWeights.map((costWeight): [string, Picker] => [
      `learned-cw${costWeight}`,
      learnedWith({ costWeight }),
    ]),
  ];
  const raw = pickers.map(([policy, pick]) => replay(policy, evaluated, pick, succeeded));
  const baseline = raw[0];
  const results = raw.map((result) => ({
    ...result,
    savings: baseline.costUsd > 0 ? 1 - result.costUsd / baseline.costUsd : 0,
    successRatio: baseline.successRate > 0 ? result.successRate / baseline.successRate : 0,
  }));
  return {
    models,
    strongest,
    warmupPrompts: warmup.length,
    evaluatedPrompts: evaluated.length,
    droppedPrompts: dropped,
    calibration,
    results,
  };
}

function replay(
  policy: string,
  prompts: ReplayPrompt[],
  pick: Picker,
  succeeded: (row: ReplayRow) => boolean,
): Omit<PolicyResult, 'savings' | 'successRatio'> {
  const picks: Record<string, number> = {};
  let successes = 0;
  let costUsd = 0;
  const latencies: number[] = [];
  for (const prompt of prompts) {
    const model = pick(prompt);
    const row = prompt.outcomes.get(model)!;
    picks[model] = (picks[model] ?? 0) + 1;
    if (succeeded(row)) successes++;
    costUsd += row.costUsd;
    latencies.push(row.latencyMs);
  }
  latencies.sort((a, b) => a - b);
  return {
    policy,
    prompts: prompts.length,
    successRate: successes / prompts.length,
    costUsd,
    costPerSuccessUsd: successes > 0 ? costUsd / successes : null,
    meanLatencyMs: mean(latencies),
    p95LatencyMs: latencies[Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.95) - 1)],
    picks,
  };
}

function oracle(prompt: ReplayPrompt, succeeded: (row: ReplayRow) => boolean): string {
  const rows = [...prompt.outcomes.values()].sort((a, b) => a.costUsd - b.costUsd);
  return (rows.find(succeeded) ?? rows[0]).model;
}

function outcomeOf(row: ReplayRow, succeeded: (row: ReplayRow) => boolean) {
  return { success: succeeded(row), latencyMs: row.latencyMs, costUsd: row.costUsd };
}

function successRate(
  prompts: ReplayPrompt[],
  model: string,
  succeeded: (row: ReplayRow) => boolean,
): number {
  return mean(prompts.map((prompt) => (succeeded(prompt.outcomes.get(model)!) ? 1 : 0)));
}

function mean(values: number[]): number {
  return values.length ? values.reduce((sum, value) => sum + value, 0) / values.length : 0;
}
