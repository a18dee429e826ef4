import { AiChatMessage, AiProviderId } from '@jarvis/contracts';
import { UsdAmount } from '../money/usd-amount';
import { costOf, ModelPrice } from '../prices/price-table';
import { RouteCandidate } from './model-router';

/** Token counts of a call before it is made: prompt estimated, output bounded by `maxTokens`. */
export interface CallEstimate {
  promptTokens: number;
  maxOutputTokens: number;
  /** What ranking assumes the answer will use. */
  expectedOutputTokens: number;
}

/** About four characters per token in English, plus a few tokens of framing per message. */
export function estimateCall(messages: AiChatMessage[], maxTokens: number): CallEstimate {
  const characters = messages.reduce((sum, message) => sum + message.content.length, 0);
  return {
    promptTokens: Math.ceil(characters / 4) + 4 * messages.length,
    maxOutputTokens: maxTokens,
    expectedOutputTokens: Math.min(maxTokens, 256),
  };
}

export interface PricedCandidate extends RouteCandidate {
  provider: AiProviderId;
  price: ModelPrice;
  /** The most this call can cost on this model (whole prompt estimate, every output token). */
  worstCaseCost: UsdAmount;
}

export interface Exclusion {
  model: string;
  reason: string;
}

/**
 * The models a call may use: their provider is offered, the call fits their context window,
 * and their worst-case cost stays within `maxCost`.
 */
export function eligibleModels(
  prices: ModelPrice[],
  offered: ReadonlySet<AiProviderId>,
  estimate: CallEstimate,
  maxCost?: UsdAmount,
): { eligible: PricedCandidate[]; excluded: Exclusion[] } {
  const eligible: PricedCandidate[] = [];
  const excluded: Exclusion[] = [];
  for (const price of prices) {
    if (!offered.has(price.provider)) {
      excluded.push({ model: price.model, reason: `provider ${price.provider} is not configured` });
      continue;
    }
    if (estimate.promptTokens + estimate.maxOutputTokens > price.contextWindow) {
      excluded.push({ model: price.model, reason: 'context window too small' });
      continue;
    }
    const worstCaseCost = costOf(price, {
      promptTokens: estimate.promptTokens,
      completionTokens: estimate.maxOutputTokens,
    });
    if (maxCost && worstCaseCost.compare(maxCost) > 0) {
      excluded.push({
        model: price.model,
        reason: `worst-case cost ${worstCaseCost.toString()} USD is above maxCostUsd`,
      });
      continue;
    }
    eligible.push({
      model: price.model,
      provider: price.provider,
      quality: price.quality,
      expectedCostUsd: costOf(price, {
        promptTokens: estimate.promptTokens,
        completionTokens: estimate.expectedOutputTokens,
      }).toNumber(),
      price,
      worstCaseCost,
    });
  }
  return { eligible, excluded };
}
