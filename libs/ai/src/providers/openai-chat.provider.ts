import { z } from 'zod';
import { AiProviderId } from '@jarvis/contracts';
import { AiProvider, CompletionRequest, CompletionResult, ProviderEndpoint } from './ai-provider';
import { ProviderResponseError } from './provider-errors';
import { joinUrl, postJson } from './provider-http';

const chatCompletionSchema = z.object({
  model: z.string().optional(),
  choices: z
    .array(
      z.object({
        message: z.object({ content: z.string().nullable().optional() }),
        finish_reason: z.string().nullable().optional(),
      }),
    )
    .min(1),
  usage: z.object({
    prompt_tokens: z.number().int().nonnegative(),
    completion_tokens: z.number().int().nonnegative(),
  }),
});

/**
 * OpenAI chat completions (`POST {base}/chat/completions`, base such as
 * `https://api.openai.com/v1`), and any server that speaks it: Ollama, vLLM, LiteLLM.
 */
export class OpenAiChatProvider implements AiProvider {
  constructor(
    readonly id: Extract<AiProviderId, 'openai' | 'openai-compatible'>,
    private readonly endpoint: ProviderEndpoint,
  ) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const answer = await postJson({
      provider: this.id,
      url: joinUrl(this.endpoint.baseUrl, 'chat/completions'),
      headers: this.endpoint.apiKey ? { authorization: `Bearer ${this.endpoint.apiKey}` } : {},
      body: {
        model: request.model,
        messages: request.messages,
        // OpenAI's newer models take only `max_completion_tokens`; compatible servers know `max_tokens`.
        ...(this.id === 'openai'
          ? { max_completion_tokens: request.maxTokens }
          : { max_tokens: request.maxTokens }),
        ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
      },
      timeoutMs: this.endpoint.timeoutMs,
      secret: this.endpoint.apiKey,
    });
    const parsed = chatCompletionSchema.safeParse(answer);
    if (!parsed.success) {
      throw new ProviderResponseError(this.id, 'answer is not a chat completion with usage');
    }
    const [choice] = parsed.data.choices;
    return {
      text: choice.message.content ?? '',
      providerModel: parsed.data.model ?? request.model,
      promptTokens: parsed.data.usage.prompt_tokens,
      completionTokens: parsed.data.usage.completion_tokens,
      finishReason: choice.finish_reason ?? null,
    };
  }
}
