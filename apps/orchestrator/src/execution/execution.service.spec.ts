import { ActionFailedError, ErrorCode, NotFoundError, ValidationError } from '@jarvis/contracts';
import { ExecutableModule } from './executable-module';
import { ExecutionService } from './execution.service';

const testModule: ExecutableModule = {
  name: 'test',
  actions: {
    ok: () => Promise.resolve({ output: 42, impactScore: 1 }),
    boom: () => Promise.reject(new Error('exploded')),
    invalid: () => Promise.reject(new ValidationError('bad params')),
  },
};

describe(ExecutionService.name, () => {
  const service = new ExecutionService([testModule]);

  it('answers the outcome with an execution id and a duration', async () => {
    const result = await service.execute({ module: 'test', action: 'ok' });
    expect(result.result).toEqual({ output: 42, impactScore: 1 });
    expect(result.executionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('rejects an unknown module or action as not found', async () => {
    await expect(service.execute({ module: 'nope', action: 'ok' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
    await expect(service.execute({ module: 'test', action: 'toString' })).rejects.toBeInstanceOf(
      NotFoundError,
    );
  });

  it('turns a thrown error into a failed action that names the execution', async () => {
    const failure = service.execute({ module: 'test', action: 'boom' });
    await expect(failure).rejects.toBeInstanceOf(ActionFailedError);
    await expect(failure).rejects.toMatchObject({
      message: 'exploded',
      details: { executionId: expect.any(String) },
    });
  });

  it('lets typed errors such as bad params through unchanged', async () => {
    await expect(service.execute({ module: 'test', action: 'invalid' })).rejects.toMatchObject({
      code: ErrorCode.ValidationFailed,
    });
  });
});
