import { z } from 'zod';
import { enumVar, integerVar, optionalSecretVar, optionalUrlVar } from './env-fields';

const HTTP = ['http', 'https'] as const;

/** Where each provider answers when only its key is given. */
export const DEFAULT_AI_BASE_URLS = {
  openai: 'https://api.openai.com/v1',
  anthropic: 'https://api.anthropic.com',
  gemini: 'https://generativelanguage.googleapis.com',
} as const;

/** The AI variables of the environment schema. */
export const aiEnvFields = {
  OPENAI_API_KEY: optionalSecretVar(),
  OPENAI_BASE_URL: optionalUrlVar(HTTP),
  ANTHROPIC_API_KEY: optionalSecretVar(),
  ANTHROPIC_BASE_URL: optionalUrlVar(HTTP),
  GEMINI_API_KEY: optionalSecretVar(),
  GEMINI_BASE_URL: optionalUrlVar(HTTP),
  OPENAI_COMPATIBLE_BASE_URL: optionalUrlVar(HTTP),
  OPENAI_COMPATIBLE_API_KEY: optionalSecretVar(),
  AI_PRICES_FILE: z.string().trim().min(1).optional(),
  AI_BUDGET_POLICY: enumVar(['block', 'downgrade'], 'block'),
  AI_REQUEST_TIMEOUT_MS: integerVar(60_000, 100, 600_000),
  BUDGET_ALERT_WEBHOOK_URL: optionalUrlVar(HTTP),
};

type AiEnv = z.infer<z.ZodObject<typeof aiEnvFields>>;

/** How to reach one provider; `apiKey` is a secret and never logged. */
export interface AiProviderSettings {
  baseUrl: string;
  apiKey?: string;
}

export interface AiConfig {
  /** Only the providers that are offered: those with a key (or, for `openai-compatible`, a base URL). */
  providers: {
    openai?: AiProviderSettings;
    anthropic?: AiProviderSettings;
    gemini?: AiProviderSettings;
    'openai-compatible'?: AiProviderSettings;
  };
  /** A price table replacing the one shipped with the suite. */
  pricesFile?: string;
  budgetPolicy: 'block' | 'downgrade';
  requestTimeoutMs: number;
  budgetAlertWebhookUrl?: string;
}

export function aiConfigOf(env: AiEnv): AiConfig {
  const providers: AiConfig['providers'] = {};
  if (env.OPENAI_API_KEY) {
    providers.openai = {
      baseUrl: env.OPENAI_BASE_URL ?? DEFAULT_AI_BASE_URLS.openai,
      apiKey: env.OPENAI_API_KEY,
    };
  }
  if (env.ANTHROPIC_API_KEY) {
    providers.anthropic = {
      baseUrl: env.ANTHROPIC_BASE_URL ?? DEFAULT_AI_BASE_URLS.anthropic,
      apiKey: env.ANTHROPIC_API_KEY,
    };
  }
  if (env.GEMINI_API_KEY) {
    providers.gemini = {
      baseUrl: env.GEMINI_BASE_URL ?? DEFAULT_AI_BASE_URLS.gemini,
      apiKey: env.GEMINI_API_KEY,
    };
  }
  if (env.OPENAI_COMPATIBLE_BASE_URL) {
    providers['openai-compatible'] = {
      baseUrl: env.OPENAI_COMPATIBLE_BASE_URL,
      apiKey: env.OPENAI_COMPATIBLE_API_KEY,
    };
  }
  return {
    providers,
    pricesFile: env.AI_PRICES_FILE,
    budgetPolicy: env.AI_BUDGET_POLICY,
    requestTimeoutMs: env.AI_REQUEST_TIMEOUT_MS,
    budgetAlertWebhookUrl: env.BUDGET_ALERT_WEBHOOK_URL,
  };
}
