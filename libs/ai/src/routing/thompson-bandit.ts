import { Random, sampleBeta } from './random';

/** One choice the bandit can make, with what is known before any observation. */
export interface BanditArm {
  id: string;
  /** 0..1: prior belief in success (e.g. the price table's quality). */
  priorSuccess: number;
  /** Used until the arm's own cost has been observed. */
  expectedCostUsd: number;
}

export interface BanditOutcome {
  success: boolean;
  latencyMs: number;
  costUsd: number;
}

export interface BanditSettings {
  /** How much a relatively dear arm loses (cost ÷ dearest cost, times this). */
  costWeight: number;
  /** How much a relatively slow arm loses (latency ÷ slowest latency, times this). */
  latencyWeight: number;
  /** Pseudo-observations the prior is worth. */
  priorStrength: number;
  /** Each new observation in a context multiplies older counts by this, so drift is followed. */
  decay: number;
  /** The largest share of recent decisions that may go to an arm other than the greedy one. */
  maxExplorationShare: number;
}

export const DEFAULT_BANDIT_SETTINGS: BanditSettings = {
  costWeight: 0.3,
  latencyWeight: 0.1,
  priorStrength: 2,
  decay: 0.995,
  maxExplorationShare: 0.1,
};

export interface BanditChoice {
  arm: string;
  /** True when the sample picked an arm other than the best-looking one. */
  explored: boolean;
  /** The chosen arm first, then the others from best to worst expected score (fallbacks). */
  ranking: string[];
}

export interface ArmSnapshot {
  arm: string;
  successes: number;
  failures: number;
  meanLatencyMs: number | null;
  meanCostUsd: number | null;
}

interface ArmState {
  successes: number;
  failures: number;
  weight: number;
  latencySum: number;
  costSum: number;
}

interface ContextState {
  arms: Map<string, ArmState>;
  decisions: number;
  explorations: number;
}

/**
 * Beta–Bernoulli Thompson sampling per context, with cost and latency penalties:
 * each arm's score is a sampled success probability minus its relative cost and latency.
 * Exploration is bounded twice: old counts decay (so the posterior never freezes, nor
 * grows so wide that it explores wildly), and at most `maxExplorationShare` of recent
 * decisions may differ from the greedy choice.
 */
export class ThompsonBandit {
  private readonly settings: BanditSettings;
  private readonly contexts = new Map<string, ContextState>();

  constructor(
    private readonly random: Random,
    settings: Partial<BanditSettings> = {},
  ) {
    this.settings = { ...DEFAULT_BANDIT_SETTINGS, ...settings };
  }

  choose(context: string, arms: BanditArm[]): BanditChoice {
    if (arms.length === 0) throw new RangeError('The bandit needs at least one arm');
    const state = this.contextState(context);
    const penalties = this.penalties(state, arms);
    const expected = arms.map((arm, i) => this.posteriorMean(state, arm) - penalties[i]);
    const sampled = arms.map((arm, i) => {
      const { alpha, beta } = this.posterior(state, arm);
      return sampleBeta(this.random, alpha, beta) - penalties[i];
    });
    const greedy = argmax(expected);
    let pick = argmax(sampled);
    const { decay, maxExplorationShare } = this.settings;
    state.decisions = state.decisions * decay + 1;
    state.explorations *= decay;
    if (pick !== greedy) {
      if (state.explorations + 1 <= maxExplorationShare * state.decisions) state.explorations += 1;
      else pick = greedy;
    }
    const rest = arms
      .map((arm, i) => ({ id: arm.id, score: expected[i] }))
      .filter((_, i) => i !== pick)
      .sort((a, b) => b.score - a.score)
      .map((arm) => arm.id);
    return { arm: arms[pick].id, explored: pick !== greedy, ranking: [arms[pick].id, ...rest] };
  }

  record(context: string, arm: string, outcome: BanditOutcome): void {
    const state = this.contextState(context);
    const { decay } = this.settings;
    for (const other of state.arms.values()) {
      other.successes *= decay;
      other.failures *= decay;
      other.weight *= decay;
      other.latencySum *= decay;
      other.costSum *= decay;
    }
    const own = state.arms.get(arm) ?? {
      successes: 0,
      failures: 0,
      weight: 0,
      latencySum: 0,
      costSum: 0,
    };
    if (outcome.success) own.successes += 1;
    else own.failures += 1;
    own.weight += 1;
    own.latencySum += outcome.latencyMs;
    own.costSum += outcome.costUsd;
    state.arms.set(arm, own);
  }

  snapshot(context: string): ArmSnapshot[] {
    const state = this.contexts.get(context);
    if (!state) return [];
    return [...state.arms.entries()].map(([arm, own]) => ({
      arm,
      successes: own.successes,
      failures: own.failures,
      meanLatencyMs: own.weight > 0 ? own.latencySum / own.weight : null,
      meanCostUsd: own.weight > 0 ? own.costSum / own.weight : null,
    }));
  }

  private contextState(context: string): ContextState {
    let state = this.contexts.get(context);
    if (!state) {
      state = { arms: new Map(), decisions: 0, explorations: 0 };
      this.contexts.set(context, state);
    }
    return state;
  }

  private posterior(state: ContextState, arm: BanditArm): { alpha: number; beta: number } {
    const own = state.arms.get(arm.id);
    const prior = Math.min(1, Math.max(0, arm.priorSuccess)) * this.settings.priorStrength;
    return {
      alpha: 1 + prior + (own?.successes ?? 0),
      beta: 1 + (this.settings.priorStrength - prior) + (own?.failures ?? 0),
    };
  }

  private posteriorMean(state: ContextState, arm: BanditArm): number {
    const { alpha, beta } = this.posterior(state, arm);
    return alpha / (alpha + beta);
  }

  /** Relative cost and latency penalties; an arm with no latency seen yet gets the average. */
  private penalties(state: ContextState, arms: BanditArm[]): number[] {
    const costs = arms.map((arm) => {
      const own = state.arms.get(arm.id);
      return own && own.weight > 0 ? own.costSum / own.weight : arm.expectedCostUsd;
    });
    const seen = arms
      .map((arm) => state.arms.get(arm.id))
      .filter((own): own is ArmState => own !== undefined && own.weight > 0)
      .map((own) => own.latencySum / own.weight);
    const averageLatency = seen.length ? seen.reduce((a, b) => a + b, 0) / seen.length : 0;
    const latencies = arms.map((arm) => {
      const own = state.arms.get(arm.id);
      return own && own.weight > 0 ? own.latencySum / own.weight : averageLatency;
    });
    const maxCost = Math.max(...costs);
    const maxLatency = Math.max(...latencies);
    return arms.map(
      (_, i) =>
        (maxCost > 0 ? (this.settings.costWeight * costs[i]) / maxCost : 0) +
        (maxLatency > 0 ? (this.settings.latencyWeight * latencies[i]) / maxLatency : 0),
    );
  }
}

function argmax(values: number[]): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
