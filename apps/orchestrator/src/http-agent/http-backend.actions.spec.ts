import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { CircuitBreaker, CircuitBreakerManager } from '@jarvis/circuit-breaker';
import { ErrorCode } from '@jarvis/contracts';
import { HttpBackendActions } from './http-backend.actions';

/** A breaker manager that lets every call through. */
const passThrough = {
  getBreaker: () =>
    ({ execute: <T>(call: () => Promise<T>) => call() }) as unknown as CircuitBreaker,
} as unknown as CircuitBreakerManager;

describe(HttpBackendActions.name, () => {
  let server: Server;
  let baseUrl: string;
  const seen: { method?: string; url?: string; body: string }[] = [];

  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      let body = '';
      request.on('data', (chunk: Buffer) => (body += chunk.toString()));
      request.on('end', () => {
        seen.push({ method: request.method, url: request.url, body });
        const status = request.url?.startsWith('/api/broken')
          ? 502
          : request.url?.startsWith('/api/nope')
            ? 422
            : 200;
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ echoed: body ? JSON.parse(body) : null }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  });

  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const agent = () => new HttpBackendActions({ baseUrl, timeoutMs: 2000 }, passThrough);

  it('sends the task params to the backend and answers its reply', async () => {
    const outcome = await agent().actions.request({
      path: '/beats',
      query: { dry: true },
      body: { tempo: 120 },
    });
    expect(outcome).toEqual({ output: { status: 200, body: { echoed: { tempo: 120 } } } });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/beats?dry=true' });
  });

  it('fails a 5xx answer (retryable) and rejects a 4xx answer as bad params', async () => {
    await expect(agent().actions.request({ path: '/broken' })).rejects.toMatchObject({
      code: ErrorCode.ActionFailed,
    });
    await expect(agent().actions.request({ path: '/nope', method: 'GET' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: { status: 422 },
    });
  });

  it('refuses a path that leaves the base URL', async () => {
    for (const path of ['/../admin', 'http://elsewhere/', '/a/../../b']) {
      await expect(agent().actions.request({ path })).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
      });
    }
  });
});
