import { z } from 'zod';
import { AiChatMessage } from '@jarvis/contracts';
import { AiProvider, CompletionRequest, CompletionResult, ProviderEndpoint } from './ai-provider';
import { ProviderResponseError } from './provider-errors';
import { joinUrl, postJson } from './provider-http';

export const ANTHROPIC_VERSION = '2023-06-01';

const messageSchema = z.object({
  model: z.string().optional(),
  content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
  stop_reason: z.string().nullable().optional(),
  usage: z.object({
    input_tokens: z.number().int().nonnegative(),
    output_tokens: z.number().int().nonnegative(),
    cache_creation_input_tokens: z.number().int().nonnegative().nullable().optional(),
    cache_read_input_tokens: z.number().int().nonnegative().nullable().optional(),
  }),
});

/** Anthropic messages (`POST {base}/v1/messages`, base such as `https://api.anthropic.com`). */
export class AnthropicMessagesProvider implements AiProvider {
  readonly id = 'anthropic';

  constructor(private readonly endpoint: ProviderEndpoint) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => message.content)
      .join('\n\n');
    const answer = await postJson({
      provider: this.id,
      url: joinUrl(this.endpoint.baseUrl, 'v1/messages'),
      headers: {
        'x-api-key': this.endpoint.apiKey ?? '',
        'anthropic-version': ANTHROPIC_VERSION,
      },
      body: {
        model: request.model,
        max_tokens: request.maxTokens,
        messages: conversation(request.messages),
        ...(system ? { system } : {}),
        ...(request.temperature === undefined
          ? {}
          : { temperature: Math.min(request.temperature, 1) }),
      },
      timeoutMs: this.endpoint.timeoutMs,
      secret: this.endpoint.apiKey,
    });
    const parsed = messageSchema.safeParse(answer);
    if (!parsed.success) {
      throw new ProviderResponseError(this.id, 'answer is not a message with usage');
    }
    const { usage } = parsed.data;
    return {
      text: parsed.data.content
        .filter((block) => block.type === 'text')
        .map((block) => block.text ?? '')
        .join(''),
      providerModel: parsed.data.model ?? request.model,
      // Cache reads and writes are input tokens too; we never ask for caching, so they are 0 here.
      promptTokens:
        usage.input_tokens +
        (usage.cache_creation_input_tokens ?? 0) +
        (usage.cache_read_input_tokens ?? 0),
      completionTokens: usage.output_tokens,
      finishReason: parsed.data.stop_reason ?? null,
    };
  }
}

/** The API keeps system text apart and wants the conversation to start with the user. */
function conversation(
  messages: AiChatMessage[],
): { role: 'user' | 'assistant'; content: string }[] {
  const turns = messages
    .filter((message) => message.role !== 'system')
    .map((message) => ({ role: message.role as 'user' | 'assistant', content: message.content }));
  return turns.length > 0 && turns[0].role === 'user'
    ? turns
    : [{ role: 'user', content: '(continue)' }, ...turns];
}
