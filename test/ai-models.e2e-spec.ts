import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { connect, NatsConnection, StringCodec } from 'nats';
import {
  createTestDatabase,
  FakeAiProvider,
  readJson,
  RunningSuite,
  startSuite,
  TEST_NATS_URL,
  TestDatabase,
} from '@jarvis/testing';

jest.setTimeout(90_000);

const COMPATIBLE_KEY = 'compat-test-key-0001';
const ANTHROPIC_KEY = 'anthropic-test-key-0002';

/** A price table of two loopback models: a cheap local one and a dearer Anthropic one. */
function writePrices(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'jarvis-prices-')), 'prices.json');
  writeFileSync(
    file,
    JSON.stringify({
      'local-small': {
        provider: 'openai-compatible',
        inputPerMillion: '0.15',
        outputPerMillion: '0.60',
        contextWindow: 32768,
        quality: 0.6,
      },
      'claude-test': {
        provider: 'anthropic',
        inputPerMillion: '3.00',
        outputPerMillion: '15.00',
        contextWindow: 200000,
        quality: 0.9,
      },
    }),
  );
  return file;
}

/** Counts the POSTs a budget alert webhook receives. */
async function startWebhook(): Promise<{ server: Server; url: string; bodies: unknown[] }> {
  const bodies: unknown[] = [];
  const server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      bodies.push(JSON.parse(text));
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, bodies };
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  let value = await read();
  for (let attempt = 0; attempt < 100 && !done(value); attempt++) {
    await delay(100);
    value = await read();
  }
  return value;
}

function client(suite: RunningSuite) {
  const headers = {
    authorization: `Bearer ${suite.adminApiKey}`,
    'content-type': 'application/json',
  };
  return {
    complete: (params: Record<string, unknown>) =>
      fetch(`${suite.gatewayUrl}/api/v1/execute`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ module: 'ai', action: 'complete', params }),
      }),
    get: async (path: string) => readJson(await fetch(`${suite.gatewayUrl}${path}`, { headers })),
  };
}

describe('AI models: usage ledger and budgets', () => {
  let database: TestDatabase;
  let suite: RunningSuite;
  let compatible: FakeAiProvider;
  let webhook: Awaited<ReturnType<typeof startWebhook>>;
  let nats: NatsConnection;
  const alertEvents: { threshold: number; period: string }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    compatible = await FakeAiProvider.start({
      apiKey: COMPATIBLE_KEY,
      answer: { text: 'Hello from the loopback model', promptTokens: 1234, completionTokens: 567 },
    });
    webhook = await startWebhook();
    suite = await startSuite(database.url, undefined, {
      OPENAI_COMPATIBLE_BASE_URL: compatible.openAiBaseUrl,
      OPENAI_COMPATIBLE_API_KEY: COMPATIBLE_KEY,
      AI_PRICES_FILE: writePrices(),
      DAILY_AI_BUDGET: '0.0012',
      AI_BUDGET_POLICY: 'block',
      BUDGET_ALERT_WEBHOOK_URL: webhook.url,
    });
    nats = await connect({ servers: TEST_NATS_URL });
    const codec = StringCodec();
    nats.subscribe(`${suite.env.NATS_SUBJECT_PREFIX}.budget.alert.v1`, {
      callback: (_error, message) => {
        const packet = JSON.parse(codec.decode(message.data)) as {
          data: { threshold: number; period: string };
        };
        alertEvents.push(packet.data);
      },
    });
    await nats.flush();
  });

  afterAll(async () => {
    await nats?.close();
    await suite?.stop();
    await compatible?.stop();
    webhook?.server.close();
    await database?.drop();
  });

  it('answers the provider’s text with the model used, its tokens and exact cost', async () => {
    const response = await client(suite).complete({ prompt: 'Say hello', model: 'local-small' });
    const body = await readJson(response);
    expect(response.status).toBe(200);
    expect(body.data.result.output).toMatchObject({
      text: 'Hello from the loopback model',
      provider: 'openai-compatible',
      model: 'local-small',
      promptTokens: 1234,
      completionTokens: 567,
      costUsd: '0.0005253',
    });
    expect(compatible.requests.at(-1)).toMatchObject({ api: 'openai', model: 'local-small' });
  });

  it('shows the reported tokens and their exact cost in the usage ledger', async () => {
    const usage = await eventually(
      () => client(suite).get('/api/v1/ai/usage?groupBy=model'),
      (body) => body.data?.totals.calls === 1,
    );
    expect(usage.data.totals).toMatchObject({
      calls: 1,
      successes: 1,
      promptTokens: 1234,
      completionTokens: 567,
      costUsd: '0.0005253',
    });
    expect(usage.data.groups).toEqual([
      expect.objectContaining({ key: 'local-small', calls: 1, costUsd: '0.0005253' }),
    ]);
    const byDay = await client(suite).get('/api/v1/ai/usage?groupBy=day');
    expect(byDay.data.groups[0].key).toBe(new Date().toISOString().slice(0, 10));
  });

  it('reports each budget period with limit, spent, remaining, percent and reset time', async () => {
    const budget = await client(suite).get('/api/v1/ai/budget');
    const tomorrow = new Date();
    tomorrow.setUTCHours(24, 0, 0, 0);
    expect(budget.data.policy).toBe('block');
    expect(budget.data.periods[0]).toEqual({
      period: 'daily',
      limitUsd: '0.0012',
      spentUsd: '0.0005253',
      remainingUsd: '0.0006747',
      percent: 43.77,
      periodStart: expect.any(String),
      resetsAt: tomorrow.toISOString(),
    });
    expect(budget.data.periods.map((period: { period: string }) => period.period)).toEqual([
      'daily',
      'weekly',
      'monthly',
    ]);
  });

  it('alerts once at 80 % and once at 100 %, then refuses the next call with 402', async () => {
    expect((await client(suite).complete({ prompt: 'again', model: 'local-small' })).status).toBe(
      200,
    ); // 87.55 %
    expect((await client(suite).complete({ prompt: 'more', model: 'local-small' })).status).toBe(
      200,
    ); // 131.32 %

    const refused = await client(suite).complete({ prompt: 'too much', model: 'local-small' });
    const body = await readJson(refused);
    expect(refused.status).toBe(402);
    expect(body.error).toMatchObject({
      code: 'BUDGET_EXCEEDED',
      message: expect.stringContaining('The daily AI budget of 0.0012 USD is spent'),
      details: { period: 'daily', limitUsd: '0.0012', spentUsd: '0.0015759' },
    });
    expect(compatible.requests).toHaveLength(3);

    await eventually(
      () => Promise.resolve(webhook.bodies.length + alertEvents.length),
      (count) => count >= 4,
    );
    await delay(500); // time for a duplicate to show up, were there one
    expect(alertEvents.map((event) => [event.period, event.threshold])).toEqual([
      ['daily', 80],
      ['daily', 100],
    ]);
    expect(webhook.bodies).toEqual([
      expect.objectContaining({ type: 'budget.alert', period: 'daily', threshold: 80 }),
      expect.objectContaining({ type: 'budget.alert', period: 'daily', threshold: 100 }),
    ]);
    const lines = suite.logLines('orchestrator').filter((line) => line.budgetAlert);
    expect(lines.map((line) => line.level)).toEqual(['warn', 'error']);
  });
});

describe('AI models: fallback when a provider stops', () => {
  let database: TestDatabase;
  let suite: RunningSuite;
  let compatible: FakeAiProvider;
  let anthropic: FakeAiProvider;

  beforeAll(async () => {
    database = await createTestDatabase();
    compatible = await FakeAiProvider.start({
      apiKey: COMPATIBLE_KEY,
      answer: { text: 'local answer' },
    });
    anthropic = await FakeAiProvider.start({
      apiKey: ANTHROPIC_KEY,
      answer: { text: 'anthropic answer', promptTokens: 100, completionTokens: 20 },
    });
    suite = await startSuite(database.url, undefined, {
      OPENAI_COMPATIBLE_BASE_URL: compatible.openAiBaseUrl,
      OPENAI_COMPATIBLE_API_KEY: COMPATIBLE_KEY,
      ANTHROPIC_API_KEY: ANTHROPIC_KEY,
      ANTHROPIC_BASE_URL: anthropic.anthropicBaseUrl,
      AI_PRICES_FILE: writePrices(),
      CIRCUIT_BREAKER_FAILURE_THRESHOLD: '2',
    });
  });

  afterAll(async () => {
    await suite?.stop();
    await compatible?.stop();
    await anthropic?.stop();
    await database?.drop();
  });

  const output = async (response: Response) => {
    const body = await readJson(response);
    expect(response.status).toBe(200);
    return body.data.result.output;
  };

  it('answers from the cheapest provider while it runs', async () => {
    const answer = await output(await client(suite).complete({ prompt: 'hi', policy: 'cheapest' }));
    expect(answer).toMatchObject({ text: 'local answer', provider: 'openai-compatible' });
  });

  it('falls back to the second provider, then opens the stopped one’s breaker', async () => {
    await compatible.stop();
    for (let call = 0; call < 2; call++) {
      const answer = await output(
        await client(suite).complete({ prompt: `call ${call}`, policy: 'cheapest' }),
      );
      expect(answer).toMatchObject({ text: 'anthropic answer', provider: 'anthropic' });
      expect(answer.attempts.map((attempt: { outcome: string }) => attempt.outcome)).toEqual([
        'unreachable',
        'ok',
      ]);
    }

    const answer = await output(
      await client(suite).complete({ prompt: 'open', policy: 'cheapest' }),
    );
    expect(answer).toMatchObject({ text: 'anthropic answer', model: 'claude-test' });
    expect(answer.attempts).toEqual([
      expect.objectContaining({ provider: 'openai-compatible', outcome: 'circuit_open' }),
      expect.objectContaining({ provider: 'anthropic', outcome: 'ok' }),
    ]);

    const breakers = await client(suite).get('/api/v1/circuit-breakers');
    expect(breakers.data).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          service: 'orchestrator',
          name: 'ai-provider:openai-compatible',
          state: 'OPEN',
        }),
      ]),
    );
  });

  it('keeps the failed attempts in the ledger too', async () => {
    const usage = await eventually(
      () => client(suite).get('/api/v1/ai/usage?groupBy=provider'),
      (body) => body.data?.totals.calls === 6,
    );
    expect(usage.data.groups).toEqual([
      expect.objectContaining({ key: 'anthropic', calls: 3, successes: 3, costUsd: '0.0018' }),
      expect.objectContaining({ key: 'openai-compatible', calls: 3, successes: 1, failures: 2 }),
    ]);
  });
});
