import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/** The wire APIs the fake speaks; OpenAI-compatible servers speak `openai`. */
export type FakeAiApi = 'openai' | 'anthropic' | 'gemini';

/** How the fake answers one request. */
export interface FakeAiAnswer {
  text?: string;
  promptTokens?: number;
  completionTokens?: number;
  /** Wait this long before answering (a slow provider). */
  delayMs?: number;
  /** Answer with this HTTP error status, in the API's own error shape. */
  status?: number;
  errorMessage?: string;
  retryAfterSeconds?: number;
  /** Answer 200 with this body as it is (e.g. not JSON, or JSON without usage). */
  rawBody?: string;
}

export interface FakeAiRequest {
  api: FakeAiApi;
  model: string;
  headers: IncomingMessage['headers'];
  body: Record<string, unknown>;
}

export interface FakeAiProviderOptions {
  /** When set, a request without this key gets each API's authentication error. */
  apiKey?: string;
  answer?: FakeAiAnswer;
  port?: number;
}

const DEFAULT_ANSWER = { promptTokens: 12, completionTokens: 5 };

/**
 * A loopback HTTP server that speaks OpenAI chat completions (and so every OpenAI-compatible
 * server), Anthropic messages and Gemini generateContent: answers with usage fields, errors
 * in each API's shape, slow answers, and can be stopped and started again on its port.
 */
export class FakeAiProvider {
  readonly requests: FakeAiRequest[] = [];
  private answer: FakeAiAnswer;
  private readonly queued: FakeAiAnswer[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private server: Server | undefined;
  private port = 0;

  private constructor(private readonly options: FakeAiProviderOptions) {
    this.answer = options.answer ?? {};
  }

  static async start(options: FakeAiProviderOptions = {}): Promise<FakeAiProvider> {
    const fake = new FakeAiProvider(options);
    await fake.listen(options.port ?? 0);
    return fake;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Base URL as OpenAI clients take it (with `/v1`). */
  get openAiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  get anthropicBaseUrl(): string {
    return this.url;
  }

  get geminiBaseUrl(): string {
    return this.url;
  }

  /** The answer for every request from now on (after any queued ones). */
  answerWith(answer: FakeAiAnswer): void {
    this.answer = answer;
  }

  /** Answers for the next requests, one each, before the default answer applies again. */
  queue(...answers: FakeAiAnswer[]): void {
    this.queued.push(...answers);
  }

  /** Stops listening and drops open connections; `restart` listens on the same port again. */
  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  async restart(): Promise<void> {
    if (!this.server) await this.listen(this.port);
  }

  private listen(port: number): Promise<void> {
    const server = createServer((request, response) => {
      void this.handle(request, response);
    });
    this.server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        this.port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const raw = await readBody(request);
    const route = routeOf(request.method, request.url ?? '');
    if (!route) return send(response, 404, { error: { message: 'no such route' } });
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return send(response, 400, errorBody(route.api, 400, 'body is not JSON'));
    }
    const model = route.model ?? String(body.model ?? '');
    this.requests.push({ api: route.api, model, headers: request.headers, body });

    const answer = { ...DEFAULT_ANSWER, ...(this.queued.shift() ?? this.answer) };
    if (answer.delayMs) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          resolve();
        }, answer.delayMs);
        this.timers.add(timer);
      });
    }
    if (response.destroyed) return;
    if (this.options.apiKey && presentedKey(route.api, request) !== this.options.apiKey) {
      return send(response, route.api === 'gemini' ? 400 : 401, authErrorBody(route.api));
    }
    if (answer.status && answer.status >= 400) {
      const headers: Record<string, string> = answer.retryAfterSeconds
        ? { 'retry-after': String(answer.retryAfterSeconds) }
        : {};
      const message = answer.errorMessage ?? `fake ${route.api} error ${answer.status}`;
      return send(response, answer.status, errorBody(route.api, answer.status, message), headers);
    }
    if (answer.rawBody !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(answer.rawBody);
      return;
    }
    const text = answer.text ?? `Hello from the fake ${route.api} server`;
    send(response, 200, successBody(route.api, model, text, answer));
  }
}

function routeOf(
  method: string | undefined,
  url: string,
): { api: FakeAiApi; model?: string } | undefined {
  if (method !== 'POST') return undefined;
  const path = url.split('?')[0];
  if (path.endsWith('/chat/completions')) return { api: 'openai' };
  if (path.endsWith('/v1/messages')) return { api: 'anthropic' };
  const gemini = /\/models\/([^/:]+):generateContent$/.exec(path);
  if (gemini) return { api: 'gemini', model: decodeURIComponent(gemini[1]) };
  return undefined;
}

function presentedKey(api: FakeAiApi, request: IncomingMessage): string | undefined {
  switch (api) {
    case 'openai':
      return request.headers.authorization?.replace(/^Bearer /, '');
    case 'anthropic':
      return header(request, 'x-api-key');
    case 'gemini':
      return header(request, 'x-goog-api-key');
  }
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function successBody(
  api: FakeAiApi,
  model: string,
  text: string,
  answer: FakeAiAnswer & typeof DEFAULT_ANSWER,
): unknown {
  const { promptTokens, completionTokens } = answer;
  switch (api) {
    case 'openai':
      return {
        id: `chatcmpl-fake-${Date.now()}`,
        object: 'chat.completion',
        created: Math.floor(Date.now() / 1000),
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: text }, finish_reason: 'stop' },
        ],
        usage: {
          prompt_tokens: promptTokens,
          completion_tokens: completionTokens,
          total_tokens: promptTokens + completionTokens,
        },
      };
    case 'anthropic':
      return {
        id: `msg_fake_${Date.now()}`,
        type: 'message',
        role: 'assistant',
        model,
        content: [{ type: 'text', text }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: promptTokens, output_tokens: completionTokens },
      };
    case 'gemini':
      return {
        candidates: [
          { content: { role: 'model', parts: [{ text }] }, finishReason: 'STOP', index: 0 },
        ],
        usageMetadata: {
          promptTokenCount: promptTokens,
          candidatesTokenCount: completionTokens,
          totalTokenCount: promptTokens + completionTokens,
        },
        modelVersion: model,
      };
  }
}

function errorBody(api: FakeAiApi, status: number, message: string): unknown {
  switch (api) {
    case 'openai':
      return {
        error: {
          message,
          type:
            status === 429
              ? 'rate_limit_exceeded'
              : status >= 500
                ? 'server_error'
                : 'invalid_request_error',
          code: null,
        },
      };
    case 'anthropic':
      return {
        type: 'error',
        error: {
          type:
            status === 429
              ? 'rate_limit_error'
              : status === 529
                ? 'overloaded_error'
                : status >= 500
                  ? 'api_error'
                  : 'invalid_request_error',
          message,
        },
      };
    case 'gemini':
      return {
        error: {
          code: status,
          message,
          status:
            status === 429 ? 'RESOURCE_EXHAUSTED' : status >= 500 ? 'INTERNAL' : 'INVALID_ARGUMENT',
        },
      };
  }
}

function authErrorBody(api: FakeAiApi): unknown {
  switch (api) {
    case 'openai':
      return {
        error: {
          message: 'Incorrect API key provided.',
          type: 'invalid_request_error',
          code: 'invalid_api_key',
        },
      };
    case 'anthropic':
      return {
        type: 'error',
        error: { type: 'authentication_error', message: 'invalid x-api-key' },
      };
    case 'gemini':
      return {
        error: {
          code: 400,
          message: 'API key not valid. Please pass a valid API key.',
          status: 'INVALID_ARGUMENT',
          details: [
            { '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID' },
          ],
        },
      };
  }
}

function send(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (response.destroyed) return;
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
