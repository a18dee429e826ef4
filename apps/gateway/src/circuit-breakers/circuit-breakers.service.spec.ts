import {
  BreakersList,
  BreakersReset,
  CircuitBreakerStatus,
  ErrorCode,
  JarvisError,
  RequestContract,
} from '@jarvis/contracts';
import { MessageBus } from '@jarvis/messaging';
import { CircuitBreakersService } from './circuit-breakers.service';

function aStatus(overrides: Partial<CircuitBreakerStatus>): CircuitBreakerStatus {
  return {
    service: 'health',
    name: 'music-backend',
    state: 'CLOSED',
    failureCount: 0,
    successCount: 0,
    lastFailureAt: null,
    lastError: null,
    nextAttemptAt: null,
    ...overrides,
  };
}

function serviceAnswering(replies: Record<string, unknown[]>, failures: JarvisError[] = []) {
  const gather = jest.fn((contract: RequestContract<unknown, unknown>) =>
    Promise.resolve({ replies: replies[contract.subject] ?? [], failures }),
  );
  return { service: new CircuitBreakersService({ gather } as unknown as MessageBus), gather };
}

describe(CircuitBreakersService.name, () => {
  it('lists the breakers of every app that answers, by app then name', async () => {
    const { service, gather } = serviceAnswering({
      [BreakersList.subject]: [
        { app: 'orchestrator', breakers: [aStatus({ service: 'orchestrator', name: 'openai' })] },
        {
          app: 'health',
          breakers: [aStatus({ name: 'zeta' }), aStatus({ name: 'alpha', state: 'OPEN' })],
        },
        { app: 'history', breakers: [] },
      ],
    });
    const names = (await service.list()).map(({ service: app, name }) => `${app}/${name}`);
    expect(names).toEqual(['health/alpha', 'health/zeta', 'orchestrator/openai']);
    expect(gather).toHaveBeenCalledWith(BreakersList, {}, 4, expect.any(Number));
  });

  it('resets the breaker in every app that has it', async () => {
    const { service, gather } = serviceAnswering({
      [BreakersReset.subject]: [
        { app: 'health', status: aStatus({}) },
        { app: 'gateway', status: null },
        { app: 'orchestrator', status: aStatus({ service: 'orchestrator' }) },
      ],
    });
    await expect(service.reset('music-backend')).resolves.toEqual([
      aStatus({}),
      aStatus({ service: 'orchestrator' }),
    ]);
    expect(gather).toHaveBeenCalledWith(
      BreakersReset,
      { name: 'music-backend' },
      4,
      expect.any(Number),
    );
  });

  it('fails a reset that an app could not do, instead of calling the breaker unknown', async () => {
    const { service } = serviceAnswering(
      { [BreakersReset.subject]: [{ app: 'gateway', status: null }] },
      [new JarvisError(ErrorCode.Internal, 'state store unreachable')],
    );
    await expect(service.reset('music-backend')).rejects.toMatchObject({
      code: ErrorCode.Internal,
      message: 'state store unreachable',
    });
  });

  it('lists what the apps that could answer hold when one fails', async () => {
    const { service } = serviceAnswering(
      { [BreakersList.subject]: [{ app: 'health', breakers: [aStatus({})] }] },
      [new JarvisError(ErrorCode.Internal, 'state store unreachable')],
    );
    await expect(service.list()).resolves.toEqual([aStatus({})]);
  });

  it('answers not found when no app has a breaker of that name', async () => {
    const { service } = serviceAnswering({
      [BreakersReset.subject]: [{ app: 'health', status: null }],
    });
    await expect(service.reset('nope')).rejects.toMatchObject({ code: ErrorCode.NotFound });
  });
});
