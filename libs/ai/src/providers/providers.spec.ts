import { FakeAiProvider } from '@jarvis/testing';
import { AiProvider, ProviderEndpoint } from './ai-provider';
import { ANTHROPIC_VERSION } from './anthropic-messages.provider';
import { createProvider, createProviders } from './create-providers';
import {
  AiProviderError,
  ProviderAuthError,
  ProviderRateLimitError,
  ProviderRequestError,
  ProviderResponseError,
  ProviderServerError,
  ProviderTimeoutError,
  ProviderUnreachableError,
} from './provider-errors';

const KEY = 'sk-fake-key-1234567890';

interface Case {
  name: 'openai' | 'anthropic' | 'gemini' | 'openai-compatible';
  api: 'openai' | 'anthropic' | 'gemini';
  baseUrl: (fake: FakeAiProvider) => string;
}

const cases: Case[] = [
  { name: 'openai', api: 'openai', baseUrl: (fake) => fake.openAiBaseUrl },
  { name: 'anthropic', api: 'anthropic', baseUrl: (fake) => fake.anthropicBaseUrl },
  { name: 'gemini', api: 'gemini', baseUrl: (fake) => fake.geminiBaseUrl },
  { name: 'openai-compatible', api: 'openai', baseUrl: (fake) => `${fake.openAiBaseUrl}/` },
];

const request = {
  model: 'test-model',
  messages: [
    { role: 'system' as const, content: 'Be brief.' },
    { role: 'user' as const, content: 'Say hi' },
  ],
  maxTokens: 64,
  temperature: 0.2,
};

describe.each(cases)('the $name adapter', ({ name, api, baseUrl }) => {
  let fake: FakeAiProvider;
  let provider: AiProvider;
  const endpoint = (overrides: Partial<ProviderEndpoint> = {}): ProviderEndpoint => ({
    baseUrl: baseUrl(fake),
    apiKey: KEY,
    timeoutMs: 2000,
    ...overrides,
  });

  beforeAll(async () => {
    fake = await FakeAiProvider.start({ apiKey: KEY });
  });

  beforeEach(() => {
    fake.requests.length = 0;
    fake.answerWith({});
    provider = createProvider(name, endpoint());
  });

  afterAll(() => fake.stop());

  it('answers the text and the token counts the server reported', async () => {
    fake.answerWith({ text: 'Hi there', promptTokens: 1234, completionTokens: 567 });
    const result = await provider.complete(request);
    expect(result).toMatchObject({
      text: 'Hi there',
      promptTokens: 1234,
      completionTokens: 567,
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ api, model: 'test-model' });
  });

  it('sends the request in the API’s own shape', async () => {
    await provider.complete(request);
    const { body, headers } = fake.requests[0];
    switch (api) {
      case 'openai':
        expect(headers.authorization).toBe(`Bearer ${KEY}`);
        expect(body.messages).toEqual(request.messages);
        expect(body[name === 'openai' ? 'max_completion_tokens' : 'max_tokens']).toBe(64);
        break;
      case 'anthropic':
        expect(headers['x-api-key']).toBe(KEY);
        expect(headers['anthropic-version']).toBe(ANTHROPIC_VERSION);
        expect(body).toMatchObject({
          system: 'Be brief.',
          max_tokens: 64,
          messages: [{ role: 'user', content: 'Say hi' }],
        });
        break;
      case 'gemini':
        expect(headers['x-goog-api-key']).toBe(KEY);
        expect(body).toMatchObject({
          systemInstruction: { parts: [{ text: 'Be brief.' }] },
          contents: [{ role: 'user', parts: [{ text: 'Say hi' }] }],
          generationConfig: { maxOutputTokens: 64, temperature: 0.2 },
        });
        break;
    }
  });

  it.each([
    [429, ProviderRateLimitError],
    [500, ProviderServerError],
    [503, ProviderServerError],
    [400, ProviderRequestError],
    [404, ProviderRequestError],
  ])('maps HTTP %d to %p', async (status, type) => {
    fake.queue({ status, retryAfterSeconds: 7 });
    const failure = provider.complete(request);
    await expect(failure).rejects.toBeInstanceOf(type);
    await expect(failure).rejects.toMatchObject({ provider: name, status });
  });

  it('reads how long a rate limit asks to wait', async () => {
    fake.queue({ status: 429, retryAfterSeconds: 7 });
    await expect(provider.complete(request)).rejects.toMatchObject({ retryAfterMs: 7000 });
  });

  it('maps a wrong key to an auth error that does not repeat the key', async () => {
    const wrongKey = 'sk-wrong-key-0987654321';
    const wrong = createProvider(name, endpoint({ apiKey: wrongKey }));
    const failure = wrong.complete(request);
    await expect(failure).rejects.toBeInstanceOf(ProviderAuthError);
    await expect(failure).rejects.toMatchObject({
      message: expect.not.stringContaining(wrongKey),
    });
  });

  it('times out a slow answer', async () => {
    fake.queue({ delayMs: 1000 });
    const slow = createProvider(name, endpoint({ timeoutMs: 100 }));
    const failure = slow.complete(request);
    await expect(failure).rejects.toBeInstanceOf(ProviderTimeoutError);
    await expect(failure).rejects.toMatchObject({ kind: 'timeout', countsAgainstProvider: true });
  });

  it('maps an answer without usage, or not JSON, to a bad response', async () => {
    fake.queue({ rawBody: '{"hello": "world"}' }, { rawBody: 'not json' });
    await expect(provider.complete(request)).rejects.toBeInstanceOf(ProviderResponseError);
    await expect(provider.complete(request)).rejects.toBeInstanceOf(ProviderResponseError);
  });

  it('maps a server that does not listen to unreachable', async () => {
    const gone = await FakeAiProvider.start();
    const url = baseUrl(gone);
    await gone.stop();
    const failure = createProvider(name, endpoint({ baseUrl: url })).complete(request);
    await expect(failure).rejects.toBeInstanceOf(ProviderUnreachableError);
    await expect(failure).rejects.toMatchObject({
      message: expect.stringContaining('ECONNREFUSED'),
    });
  });
});

describe(createProviders.name, () => {
  it('creates an adapter for each provider that has an endpoint', () => {
    const endpoint = { baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 };
    const ids = createProviders({ anthropic: endpoint, 'openai-compatible': endpoint }).map(
      (provider) => provider.id,
    );
    expect(ids).toEqual(['anthropic', 'openai-compatible']);
  });
});

describe(AiProviderError.name, () => {
  it('does not hold a malformed request against the provider', () => {
    expect(new ProviderRequestError('openai', 'bad').countsAgainstProvider).toBe(false);
    expect(new ProviderServerError('openai', 'down').countsAgainstProvider).toBe(true);
  });
});
