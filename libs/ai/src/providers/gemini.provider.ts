import { z } from 'zod';
import { AiProvider, CompletionRequest, CompletionResult, ProviderEndpoint } from './ai-provider';
import { ProviderRequestError, ProviderResponseError } from './provider-errors';
import { joinUrl, postJson } from './provider-http';

const generateContentSchema = z.object({
  modelVersion: z.string().optional(),
  candidates: z
    .array(
      z.object({
        content: z
          .object({ parts: z.array(z.object({ text: z.string().optional() })).optional() })
          .optional(),
        finishReason: z.string().optional(),
      }),
    )
    .optional(),
  promptFeedback: z.object({ blockReason: z.string().optional() }).optional(),
  usageMetadata: z.object({
    promptTokenCount: z.number().int().nonnegative().default(0),
    candidatesTokenCount: z.number().int().nonnegative().default(0),
    thoughtsTokenCount: z.number().int().nonnegative().default(0),
  }),
});

/**
 * Gemini generateContent (`POST {base}/v1beta/models/{model}:generateContent`, base such as
 * `https://generativelanguage.googleapis.com`).
 */
export class GeminiProvider implements AiProvider {
  readonly id = 'gemini';

  constructor(private readonly endpoint: ProviderEndpoint) {}

  async complete(request: CompletionRequest): Promise<CompletionResult> {
    const system = request.messages
      .filter((message) => message.role === 'system')
      .map((message) => ({ text: message.content }));
    const answer = await postJson({
      provider: this.id,
      url: joinUrl(
        this.endpoint.baseUrl,
        `v1beta/models/${encodeURIComponent(request.model)}:generateContent`,
      ),
      headers: { 'x-goog-api-key': this.endpoint.apiKey ?? '' },
      body: {
        contents: request.messages
          .filter((message) => message.role !== 'system')
          .map((message) => ({
            role: message.role === 'assistant' ? 'model' : 'user',
            parts: [{ text: message.content }],
          })),
        ...(system.length ? { systemInstruction: { parts: system } } : {}),
        generationConfig: {
          maxOutputTokens: request.maxTokens,
          ...(request.temperature === undefined ? {} : { temperature: request.temperature }),
        },
      },
      timeoutMs: this.endpoint.timeoutMs,
      secret: this.endpoint.apiKey,
    });
    const parsed = generateContentSchema.safeParse(answer);
    if (!parsed.success) {
      throw new ProviderResponseError(this.id, 'answer is not generated content with usage');
    }
    const { candidates, promptFeedback, usageMetadata } = parsed.data;
    if (promptFeedback?.blockReason && !candidates?.length) {
      throw new ProviderRequestError(this.id, `prompt blocked (${promptFeedback.blockReason})`);
    }
    const [candidate] = candidates ?? [];
    return {
      text: (candidate?.content?.parts ?? []).map((part) => part.text ?? '').join(''),
      providerModel: parsed.data.modelVersion ?? request.model,
      promptTokens: usageMetadata.promptTokenCount,
      // Thinking tokens are billed as output.
      completionTokens: usageMetadata.candidatesTokenCount + usageMetadata.thoughtsTokenCount,
      finishReason: candidate?.finishReason ?? null,
    };
  }
}
