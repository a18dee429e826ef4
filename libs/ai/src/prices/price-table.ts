import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { AI_PROVIDER_IDS, AiProviderId } from '@jarvis/contracts';
import { UsdAmount } from '../money/usd-amount';

/** USD per million tokens with at most six decimals: then every token costs whole pico-dollars. */
const pricePerMillion = z
  .union([z.string(), z.number().nonnegative()])
  .transform((value) => (typeof value === 'number' ? String(value) : value.trim()))
  .refine((value) => UsdAmount.isValid(value, 6), {
    message: 'must be a non-negative USD amount per million tokens with at most 6 decimals',
  })
  .transform((value) => UsdAmount.parse(value));

const modelPriceSchema = z
  .object({
    provider: z.enum(AI_PROVIDER_IDS),
    inputPerMillion: pricePerMillion,
    outputPerMillion: pricePerMillion,
    contextWindow: z.number().int().min(1).max(100_000_000),
    /** 0..1, a rough prior of how good the model is; the router's quality bar and `balanced` use it. */
    quality: z.number().min(0).max(1).default(0.5),
  })
  .strict();

const priceFileSchema = z
  .record(z.string().min(1).max(128), modelPriceSchema)
  .refine((table) => Object.keys(table).length > 0, { message: 'must name at least one model' });

export interface ModelPrice {
  model: string;
  provider: AiProviderId;
  inputPerMillion: UsdAmount;
  outputPerMillion: UsdAmount;
  contextWindow: number;
  quality: number;
}

export interface TokenUsage {
  promptTokens: number;
  completionTokens: number;
}

/** The price table could not be read or is not valid; the message is one line. */
export class PriceTableError extends Error {}

const MILLION = 1_000_000n;

/** Model prices (USD per million input and output tokens) and the exact cost of a call. */
export class PriceTable {
  private readonly byModel: ReadonlyMap<string, ModelPrice>;

  private constructor(prices: ModelPrice[]) {
    this.byModel = new Map(prices.map((price) => [price.model, price]));
  }

  /** Validates a parsed price file; `source` names it in the error. */
  static fromJson(value: unknown, source: string): PriceTable {
    const parsed = priceFileSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where = issue.path.map((part) => JSON.stringify(part)).join('.');
      throw new PriceTableError(
        `Invalid AI price table ${source}: ${where ? `${where} ` : ''}${issue.message}`,
      );
    }
    return new PriceTable(
      Object.entries(parsed.data).map(([model, price]) => ({ model, ...price })),
    );
  }

  static fromFile(path: string): PriceTable {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      const code = (error as { code?: string }).code ?? 'unreadable';
      throw new PriceTableError(`Cannot read AI price table ${path} (${code})`);
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw new PriceTableError(`Invalid AI price table ${path}: not JSON`);
    }
    return PriceTable.fromJson(value, path);
  }

  models(): ModelPrice[] {
    return [...this.byModel.values()];
  }

  find(model: string): ModelPrice | undefined {
    return this.byModel.get(model);
  }

  /** The exact cost of a call from the token counts the provider reported. */
  costOf(model: string, usage: TokenUsage): UsdAmount {
    const price = this.byModel.get(model);
    if (!price) throw new PriceTableError(`No price for model ${model}`);
    return costOf(price, usage);
  }
}

export function costOf(price: ModelPrice, usage: TokenUsage): UsdAmount {
  const input = price.inputPerMillion.picos * BigInt(usage.promptTokens);
  const output = price.outputPerMillion.picos * BigInt(usage.completionTokens);
  // Prices have at most six decimals, so each product is a multiple of a million.
  return UsdAmount.fromPicos((input + output) / MILLION);
}
