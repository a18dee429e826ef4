import { setTimeout as delay } from 'node:timers/promises';
import {
  createTestDatabase,
  readJson,
  RunningSuite,
  startSuite,
  TestDatabase,
} from '@jarvis/testing';

jest.setTimeout(60_000);

/** The four apps as real processes, driven through the gateway like a user would. */
describe('the suite', () => {
  let database: TestDatabase;
  let suite: RunningSuite;

  beforeAll(async () => {
    database = await createTestDatabase();
    suite = await startSuite(database.url);
  });

  afterAll(async () => {
    await suite?.stop();
    await database?.drop();
  });

  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${suite.gatewayUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const asAdmin = () => ({ authorization: `Bearer ${suite.adminApiKey}` });

  it('reports every app up on /health without a key', async () => {
    const response = await fetch(`${suite.gatewayUrl}/health`);
    const body = await readJson(response);
    expect({ status: response.status, body }).toMatchObject({
      status: 200,
      body: { data: { status: 'up' } },
    });
    for (const app of ['gateway', 'orchestrator', 'health', 'history']) {
      expect(body.data.apps[app]).toMatchObject({
        app,
        status: 'up',
        checks: { database: 'up', nats: 'up' },
      });
    }
  });

  it('carries a correlation ID from the gateway into the orchestrator logs', async () => {
    const correlationId = `e2e-${Date.now()}`;
    const response = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'ping' },
      { ...asAdmin(), 'x-correlation-id': correlationId },
    );
    const body = await readJson(response);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toBe(correlationId);
    expect(body).toMatchObject({ success: true, data: { result: { output: 'pong' } } });
    expect(typeof body.data.executionId).toBe('string');

    const carries = (app: 'gateway' | 'orchestrator') =>
      suite.logLines(app).filter((line) => line.correlationId === correlationId);
    for (
      let attempt = 0;
      attempt < 50 && (!carries('gateway').length || !carries('orchestrator').length);
      attempt++
    ) {
      await delay(100);
    }
    expect(carries('gateway').length).toBeGreaterThan(0);
    expect(carries('orchestrator').length).toBeGreaterThan(0);
    for (const line of [...carries('gateway'), ...carries('orchestrator')]) {
      expect(line).toEqual(
        expect.objectContaining({
          time: expect.any(String),
          level: expect.any(String),
          service: expect.any(String),
          msg: expect.any(String),
        }),
      );
    }
  });

  it('replaces an invalid correlation ID with a generated one', async () => {
    const response = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'ping' },
      {
        ...asAdmin(),
        'x-correlation-id': 'not valid!',
      },
    );
    expect(response.status).toBe(200);
    expect(response.headers.get('x-correlation-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers 401 without a key and with a wrong key', async () => {
    const missing = await post('/api/v1/execute', { module: 'diagnostics', action: 'ping' });
    expect(missing.status).toBe(401);
    expect(await readJson(missing)).toMatchObject({
      success: false,
      error: { code: 'UNAUTHORIZED' },
    });
    const wrong = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'ping' },
      { 'x-api-key': 'nope' },
    );
    expect(wrong.status).toBe(401);
  });

  it('answers 403 when a read key asks for a write route, and admin can mint keys', async () => {
    const created = await post(
      '/api/v1/api-keys',
      { name: `reader-${Date.now()}`, role: 'read' },
      asAdmin(),
    );
    expect(created.status).toBe(201);
    const { data } = await readJson(created);
    const denied = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'ping' },
      { 'x-api-key': data.key },
    );
    expect(denied.status).toBe(403);
    expect(await readJson(denied)).toMatchObject({ error: { code: 'FORBIDDEN' } });
    const listed = await fetch(`${suite.gatewayUrl}/api/v1/api-keys`, {
      headers: { 'x-api-key': data.key },
    });
    expect(listed.status).toBe(403);
  });

  it('answers 400 naming the problem for a body that is not JSON or not valid', async () => {
    const notJson = await post('/api/v1/execute', '{not json', asAdmin());
    expect(notJson.status).toBe(400);
    const notJsonBody = await readJson(notJson);
    expect(notJsonBody).toMatchObject({ success: false, error: { code: 'VALIDATION_FAILED' } });
    expect(notJsonBody.error.correlationId).toEqual(expect.any(String));

    const badModule = await post(
      '/api/v1/execute',
      { module: 'Bad Module', action: 'ping' },
      asAdmin(),
    );
    expect(badModule.status).toBe(400);
    const body = await readJson(badModule);
    expect(body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'module' })]),
    );

    const badParams = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'sleep', params: { ms: -1 } },
      asAdmin(),
    );
    expect(badParams.status).toBe(400);
    expect((await readJson(badParams)).error.details[0].field).toBe('params.ms');
  });

  it('answers 404 for an unknown module or action and 422 for a failed action', async () => {
    expect(
      (await post('/api/v1/execute', { module: 'nope', action: 'ping' }, asAdmin())).status,
    ).toBe(404);
    expect(
      (await post('/api/v1/execute', { module: 'diagnostics', action: 'nope' }, asAdmin())).status,
    ).toBe(404);
    const failed = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'succeed', params: { fail: true } },
      asAdmin(),
    );
    expect(failed.status).toBe(422);
    expect(await readJson(failed)).toMatchObject({
      error: { code: 'ACTION_FAILED', details: { executionId: expect.any(String) } },
    });
  });

  it('reports the impact score and waits the asked time', async () => {
    const response = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'sleep', params: { ms: 120, impactScore: 0.75 } },
      asAdmin(),
    );
    const body = await readJson(response);
    expect(response.status).toBe(200);
    expect(body.data.result).toEqual({ output: { sleptMs: 120 }, impactScore: 0.75 });
    expect(body.data.durationMs).toBeGreaterThanOrEqual(120);
  });

  it('serves /metrics and the OpenAPI docs without a key', async () => {
    const metrics = await fetch(`${suite.gatewayUrl}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toContain('jarvis_http_request_duration_seconds');
    const docs = await fetch(`${suite.gatewayUrl}/api/docs-json`);
    expect(docs.status).toBe(200);
    expect((await readJson(docs)).paths).toHaveProperty(['/api/v1/execute']);
  });

  it('answers 503 when the orchestrator is gone, and the apps stop cleanly on SIGTERM', async () => {
    expect(await suite.stopApp('orchestrator')).toBe(0);
    const response = await post(
      '/api/v1/execute',
      { module: 'diagnostics', action: 'ping' },
      asAdmin(),
    );
    expect(response.status).toBe(503);
    expect(await readJson(response)).toMatchObject({ error: { code: 'DOWNSTREAM_UNAVAILABLE' } });
    const health = await fetch(`${suite.gatewayUrl}/health`);
    expect(health.status).toBe(503);
    expect((await readJson(health)).data.apps.orchestrator.status).toBe('down');
  });
});
