import { AiRoutingPolicy } from '@jarvis/contracts';
import { BanditOutcome, ThompsonBandit } from './thompson-bandit';

/** A model the router may pick, with what it needs to rank it. */
export interface RouteCandidate {
  model: string;
  provider: string;
  /** 0..1 prior quality (price table). */
  quality: number;
  /** Expected cost of this call on this model; used for ranking only. */
  expectedCostUsd: number;
}

export interface RouteRequest {
  policy: AiRoutingPolicy;
  /** The model asked for (`explicit`). */
  model?: string;
  /** Candidates rated below it are left out (not for `explicit`). */
  minQuality?: number;
  /** What the learned policy learns per: `domain/action`. */
  context: string;
}

/** `balanced` ranks by quality minus this times cost relative to the dearest candidate. */
export const BALANCED_COST_WEIGHT = 0.3;

/**
 * Orders the candidates of one call by policy; the caller tries them in that order and
 * falls back to the next when one fails. Every policy returns every qualifying candidate,
 * so there is always a fallback when there is more than one.
 */
export class ModelRouter {
  constructor(private readonly bandit: ThompsonBandit) {}

  order<C extends RouteCandidate>(candidates: C[], request: RouteRequest): C[] {
    switch (request.policy) {
      case 'explicit': {
        const ranked = balanced(candidates);
        return [
          ...ranked.filter((candidate) => candidate.model === request.model),
          ...ranked.filter((candidate) => candidate.model !== request.model),
        ];
      }
      case 'cheapest':
        return [...qualifying(candidates, request.minQuality)].sort(
          (a, b) =>
            a.expectedCostUsd - b.expectedCostUsd ||
            b.quality - a.quality ||
            a.model.localeCompare(b.model),
        );
      case 'balanced':
        return balanced(qualifying(candidates, request.minQuality));
      case 'learned': {
        const eligible = qualifying(candidates, request.minQuality);
        if (eligible.length === 0) return [];
        const choice = this.bandit.choose(
          request.context,
          eligible.map((candidate) => ({
            id: candidate.model,
            priorSuccess: candidate.quality,
            expectedCostUsd: candidate.expectedCostUsd,
          })),
        );
        const byModel = new Map(eligible.map((candidate) => [candidate.model, candidate]));
        return choice.ranking.map((model) => byModel.get(model)!);
      }
    }
  }

  /** Teaches the learned policy what one call on `model` gave. */
  observe(context: string, model: string, outcome: BanditOutcome): void {
    this.bandit.record(context, model, outcome);
  }
}

function qualifying<C extends RouteCandidate>(candidates: C[], minQuality = 0): C[] {
  return candidates.filter((candidate) => candidate.quality >= minQuality);
}

function balanced<C extends RouteCandidate>(candidates: C[]): C[] {
  const dearest = Math.max(0, ...candidates.map((candidate) => candidate.expectedCostUsd));
  const score = (candidate: C) =>
    candidate.quality -
    (dearest > 0 ? (BALANCED_COST_WEIGHT * candidate.expectedCostUsd) / dearest : 0);
  return [...candidates].sort(
    (a, b) => score(b) - score(a) || a.expectedCostUsd - b.expectedCostUsd,
  );
}
