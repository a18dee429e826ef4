import { createServer, Server } from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from 'nats';
import { HealthCheckCompleted, HealthCheckResult } from '@jarvis/contracts';
import {
  createTestDatabase,
  freePort,
  readJson,
  RunningSuite,
  startSuite,
  TEST_NATS_URL,
  TestDatabase,
} from '@jarvis/testing';

jest.setTimeout(120_000);

const TARGET = 'music-backend';
const OPEN_MESSAGE = /^Circuit breaker OPEN \(\d+ failures\)$/;

/** Retries `assertion` until it holds or `timeoutMs` passes (then fails with its last error). */
async function eventually(assertion: () => Promise<void>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await delay(200);
    }
  }
}

/**
 * The "Checked by": a target on a port where nothing listens, checked every
 * 500 ms through its breaker (OPEN for 3 s at a time), seen through the gateway.
 */
describe('health checks through circuit breakers', () => {
  let database: TestDatabase;
  let suite: RunningSuite;
  let targetPort: number;
  let target: Server | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    targetPort = await freePort();
    suite = await startSuite(database.url, undefined, {
      HEALTH_TARGETS: JSON.stringify([
        { name: TARGET, url: `http://127.0.0.1:${targetPort}/health` },
      ]),
      HEALTH_CHECK_INTERVAL_MS: '500',
      CIRCUIT_BREAKER_TIMEOUT_MS: '3000',
    });
  });

  afterAll(async () => {
    await stopTarget();
    await suite?.stop();
    await database?.drop();
  });

  const admin = () => ({ authorization: `Bearer ${suite.adminApiKey}` });
  const get = async (path: string) =>
    readJson(await fetch(`${suite.gatewayUrl}${path}`, { headers: admin() }));
  const resetAs = (headers: Record<string, string>, name = TARGET) =>
    fetch(`${suite.gatewayUrl}/api/v1/circuit-breakers/${name}/reset`, {
      method: 'POST',
      headers,
    });
  const breakerOfTarget = async () => {
    const body = await get('/api/v1/circuit-breakers');
    return body.data.find(
      (breaker: { service: string; name: string }) =>
        breaker.service === 'health' && breaker.name === TARGET,
    );
  };
  const healthOfTarget = async () => {
    const body = await get('/api/v1/health/services');
    return body.data.find((service: { target: string }) => service.target === TARGET);
  };

  async function startTarget(): Promise<void> {
    target = createServer((_req, res) => res.end('{"status":"ok"}'));
    await new Promise<void>((resolve) => target!.listen(targetPort, '127.0.0.1', resolve));
  }

  async function stopTarget(): Promise<void> {
    if (!target) return;
    target.closeAllConnections();
    await new Promise((resolve) => target!.close(resolve));
    target = undefined;
  }

  it('opens the breaker of a target nobody listens on, and reports the target down', async () => {
    await eventually(async () => expect(await breakerOfTarget()).toMatchObject({ state: 'OPEN' }));

    const breaker = await breakerOfTarget();
    expect(Object.keys(breaker).sort()).toEqual(
      [
        'service',
        'name',
        'state',
        'failureCount',
        'successCount',
        'lastFailureAt',
        'lastError',
        'nextAttemptAt',
      ].sort(),
    );
    expect(breaker.failureCount).toBeGreaterThanOrEqual(5);
    expect(breaker.lastError).toMatch(/ECONNREFUSED/);
    expect(Date.parse(breaker.nextAttemptAt)).not.toBeNaN();

    await eventually(async () =>
      expect(await healthOfTarget()).toMatchObject({
        status: 'down',
        latencyMs: 0,
        message: expect.stringMatching(OPEN_MESSAGE),
      }),
    );
    const services = await get('/api/v1/health/services');
    for (const app of ['gateway', 'orchestrator', 'health', 'history']) {
      expect(services.data).toContainEqual(
        expect.objectContaining({ target: app, kind: 'app', status: 'up' }),
      );
    }

    const metrics = await (await fetch(`http://127.0.0.1:${suite.ports.health}/metrics`)).text();
    expect(metrics).toMatch(
      /jarvis_circuit_breaker_state\{breaker="music-backend",state="OPEN"[^}]*\} 1/,
    );
    expect(metrics).toMatch(
      /jarvis_circuit_breaker_calls_total\{breaker="music-backend",outcome="failure"[^}]*\} ([5-9]|\d{2,})\n/,
    );
  });

  it('announces every check on health.check.completed', async () => {
    const nc = await connect({ servers: TEST_NATS_URL });
    try {
      const subscription = nc.subscribe(
        `${suite.env.NATS_SUBJECT_PREFIX}.${HealthCheckCompleted.subject}`,
      );
      const seen: HealthCheckResult[] = [];
      for await (const message of subscription) {
        const result = (message.json() as { data: HealthCheckResult }).data;
        seen.push(result);
        if (result.target === TARGET) break;
      }
      expect(seen.at(-1)).toMatchObject({
        target: TARGET,
        kind: 'http',
        status: 'down',
        checkedAt: expect.any(String),
      });
    } finally {
      await nc.close();
    }
  });

  it('closes the breaker once something listens there again', async () => {
    await startTarget();
    await eventually(async () =>
      expect(await breakerOfTarget()).toMatchObject({ state: 'CLOSED', failureCount: 0 }),
    );
    await eventually(async () =>
      expect(await healthOfTarget()).toMatchObject({ status: 'up', message: null }),
    );
  });

  it('closes at once on an admin reset, refuses a read key and an unknown name', async () => {
    await stopTarget();
    await eventually(async () => expect(await breakerOfTarget()).toMatchObject({ state: 'OPEN' }));

    const reset = await resetAs(admin());
    expect(reset.status).toBe(200);
    expect(await readJson(reset)).toMatchObject({
      success: true,
      data: [{ service: 'health', name: TARGET, state: 'CLOSED', failureCount: 0 }],
    });
    expect(await breakerOfTarget()).toMatchObject({ state: 'CLOSED' });

    const created = await fetch(`${suite.gatewayUrl}/api/v1/api-keys`, {
      method: 'POST',
      headers: { ...admin(), 'content-type': 'application/json' },
      body: JSON.stringify({ name: `breaker-reader-${Date.now()}`, role: 'read' }),
    });
    expect(created.status).toBe(201);
    const readKey: string = (await readJson(created)).data.key;
    const listed = await fetch(`${suite.gatewayUrl}/api/v1/circuit-breakers`, {
      headers: { 'x-api-key': readKey },
    });
    expect(listed.status).toBe(200);
    const denied = await resetAs({ 'x-api-key': readKey });
    expect(denied.status).toBe(403);
    expect(await readJson(denied)).toMatchObject({ error: { code: 'FORBIDDEN' } });

    const unknown = await resetAs(admin(), 'no-such-breaker');
    expect(unknown.status).toBe(404);
    expect(await readJson(unknown)).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect((await resetAs(admin(), 'bad name!')).status).toBe(400);
  });
});
