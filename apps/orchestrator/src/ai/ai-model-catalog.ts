import { Injectable } from '@nestjs/common';
import { ActionFailedError, ValidationError } from '@jarvis/contracts';
import { CallEstimate, eligibleModels, PricedCandidate, PriceTable, UsdAmount } from '@jarvis/ai';
import { AiProviderPool } from './providers/ai-provider-pool';

export interface CatalogQuery {
  /** The model asked for by name: it must be known, offered and fit the call. */
  model?: string;
  estimate: CallEstimate;
  maxCost?: UsdAmount;
}

/** The priced models of the offered providers, and which of them can take a given call. */
@Injectable()
export class AiModelCatalog {
  constructor(
    private readonly prices: PriceTable,
    private readonly pool: AiProviderPool,
  ) {}

  candidates(query: CatalogQuery): PricedCandidate[] {
    const offered = this.pool.offered();
    if (offered.size === 0) {
      throw new ActionFailedError(
        'No AI provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY, GEMINI_API_KEY or OPENAI_COMPATIBLE_BASE_URL',
      );
    }
    if (query.model !== undefined) this.requireOffered(query.model, offered);
    const { eligible, excluded } = eligibleModels(
      this.prices.models(),
      offered,
      query.estimate,
      query.maxCost,
    );
    const refusal = excluded.find((exclusion) => exclusion.model === query.model);
    if (refusal) {
      throw new ValidationError(`Model "${query.model}" cannot take this call: ${refusal.reason}`, [
        { field: 'params.model', reason: refusal.reason },
      ]);
    }
    if (eligible.length === 0) {
      const reasons = [...new Set(excluded.map((exclusion) => exclusion.reason))].join('; ');
      throw new ActionFailedError(`No AI model can take this call (${reasons})`, { excluded });
    }
    return eligible;
  }

  private requireOffered(model: string, offered: ReadonlySet<string>): void {
    const price = this.prices.find(model);
    if (!price) {
      throw new ValidationError(`Unknown model "${model}": it is not in the price table`, [
        { field: 'params.model', reason: 'not in the price table' },
      ]);
    }
    if (!offered.has(price.provider)) {
      throw new ValidationError(
        `Model "${model}" needs the ${price.provider} provider, which is not configured`,
        [{ field: 'params.model', reason: `provider ${price.provider} is not configured` }],
      );
    }
  }
}
