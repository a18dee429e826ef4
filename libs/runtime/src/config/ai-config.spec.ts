import { ConfigError, loadConfig } from './jarvis-config';

describe('AI configuration', () => {
  it('offers no provider and blocks past the budget by default', () => {
    const { ai } = loadConfig({});
    expect(ai).toEqual({
      providers: {},
      pricesFile: undefined,
      budgetPolicy: 'block',
      requestTimeoutMs: 60_000,
      budgetAlertWebhookUrl: undefined,
    });
  });

  it('offers a provider with a key at its default base URL, and a compatible server by its URL', () => {
    const { ai } = loadConfig({
      OPENAI_API_KEY: 'sk-test',
      ANTHROPIC_API_KEY: 'ak-test',
      ANTHROPIC_BASE_URL: 'http://127.0.0.1:9999',
      GEMINI_BASE_URL: 'http://127.0.0.1:9998',
      OPENAI_COMPATIBLE_BASE_URL: 'http://127.0.0.1:11434/v1',
      AI_BUDGET_POLICY: 'downgrade',
      BUDGET_ALERT_WEBHOOK_URL: 'https://hooks.example.com/budget',
      AI_PRICES_FILE: 'prices.json',
    });
    expect(ai.providers).toEqual({
      openai: { baseUrl: 'https://api.openai.com/v1', apiKey: 'sk-test' },
      anthropic: { baseUrl: 'http://127.0.0.1:9999', apiKey: 'ak-test' },
      'openai-compatible': { baseUrl: 'http://127.0.0.1:11434/v1', apiKey: undefined },
    });
    expect(ai.budgetPolicy).toBe('downgrade');
    expect(ai.budgetAlertWebhookUrl).toBe('https://hooks.example.com/budget');
    expect(ai.pricesFile).toBe('prices.json');
  });

  it.each([
    ['AI_BUDGET_POLICY', 'refuse', /AI_BUDGET_POLICY must be one of block, downgrade$/],
    ['OPENAI_BASE_URL', 'ftp://x', /OPENAI_BASE_URL must be a http or https URL/],
    ['BUDGET_ALERT_WEBHOOK_URL', 'not a url', /BUDGET_ALERT_WEBHOOK_URL must be a http/],
    ['AI_REQUEST_TIMEOUT_MS', '5', /AI_REQUEST_TIMEOUT_MS must be a whole number/],
  ])('rejects a bad %s with one line that names it', (variable, value, message) => {
    expect(() => loadConfig({ [variable]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [variable]: value })).toThrow(message);
  });

  it('never repeats a rejected key', () => {
    expect(() => loadConfig({ OPENAI_API_KEY: 'sk secret with spaces' })).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^Invalid configuration: OPENAI_API_KEY must be/),
      }),
    );
    expect(() => loadConfig({ OPENAI_API_KEY: 'sk secret with spaces' })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('secret') }),
    );
  });
});
