import { AiProviderId } from '@jarvis/contracts';
import { AiProvider, ProviderEndpoint } from './ai-provider';
import { AnthropicMessagesProvider } from './anthropic-messages.provider';
import { GeminiProvider } from './gemini.provider';
import { OpenAiChatProvider } from './openai-chat.provider';

export type ProviderEndpoints = Partial<Record<AiProviderId, ProviderEndpoint>>;

/** One adapter for each provider that has an endpoint; the others are not offered. */
export function createProviders(endpoints: ProviderEndpoints): AiProvider[] {
  const providers: AiProvider[] = [];
  for (const [id, endpoint] of Object.entries(endpoints) as [AiProviderId, ProviderEndpoint][]) {
    if (!endpoint) continue;
    providers.push(createProvider(id, endpoint));
  }
  return providers;
}

export function createProvider(id: AiProviderId, endpoint: ProviderEndpoint): AiProvider {
  switch (id) {
    case 'openai':
    case 'openai-compatible':
      return new OpenAiChatProvider(id, endpoint);
    case 'anthropic':
      return new AnthropicMessagesProvider(endpoint);
    case 'gemini':
      return new GeminiProvider(endpoint);
  }
}
