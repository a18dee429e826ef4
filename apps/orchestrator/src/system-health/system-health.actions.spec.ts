import { ErrorCode } from '@jarvis/contracts';
import { SystemHealthActions } from './system-health.actions';
import { ProbeResult, UrlProbe } from './url-probe';

class FakeProbe extends UrlProbe {
  constructor(private readonly answer: ProbeResult | Error) {
    super();
  }
  override probe(): Promise<ProbeResult> {
    return this.answer instanceof Error
      ? Promise.reject(this.answer)
      : Promise.resolve(this.answer);
  }
}

describe(SystemHealthActions.name, () => {
  const check = (answer: ProbeResult | Error, params: Record<string, unknown>) =>
    new SystemHealthActions(new FakeProbe(answer)).actions.check(params);

  it('reports a URL that answers below 400 as up, with its latency', async () => {
    await expect(
      check({ httpStatus: 204, latencyMs: 12 }, { url: 'http://svc.local/health' }),
    ).resolves.toEqual({
      output: { url: 'http://svc.local/health', status: 'up', httpStatus: 204, latencyMs: 12 },
      impactScore: 1,
    });
  });

  it('reports an error status, an unexpected status or no answer as down', async () => {
    await expect(
      check({ httpStatus: 503, latencyMs: 3 }, { url: 'http://a.local' }),
    ).resolves.toMatchObject({
      output: { status: 'down', httpStatus: 503 },
    });
    await expect(
      check({ httpStatus: 200, latencyMs: 3 }, { url: 'http://a.local', expectStatus: 204 }),
    ).resolves.toMatchObject({ output: { status: 'down' } });
    await expect(
      check(new Error('connect ECONNREFUSED'), { url: 'http://a.local' }),
    ).resolves.toMatchObject({
      output: { status: 'down', httpStatus: null, error: 'connect ECONNREFUSED' },
      impactScore: 0,
    });
  });

  it('rejects a missing or non-http URL naming the param', async () => {
    for (const params of [{}, { url: 'ftp://a.local' }, { url: 'http://a.local', timeoutMs: 5 }]) {
      await expect(check({ httpStatus: 200, latencyMs: 1 }, params)).rejects.toMatchObject({
        code: ErrorCode.ValidationFailed,
        details: [expect.objectContaining({ field: expect.stringMatching(/^params\./) })],
      });
    }
  });
});
