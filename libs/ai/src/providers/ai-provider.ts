import { AiChatMessage, AiProviderId } from '@jarvis/contracts';

export interface CompletionRequest {
  model: string;
  messages: AiChatMessage[];
  maxTokens: number;
  temperature?: number;
}

export interface CompletionResult {
  text: string;
  /** The model name the provider reported (may carry a version suffix). */
  providerModel: string;
  /** Token counts as the provider reported them; they decide the cost. */
  promptTokens: number;
  completionTokens: number;
  finishReason: string | null;
}

/** One provider's HTTP API behind one method. */
export interface AiProvider {
  readonly id: AiProviderId;
  complete(request: CompletionRequest): Promise<CompletionResult>;
}

/** How an adapter reaches its provider. */
export interface ProviderEndpoint {
  baseUrl: string;
  apiKey?: string;
  /** Bounds the whole call, answer body included. */
  timeoutMs: number;
}
