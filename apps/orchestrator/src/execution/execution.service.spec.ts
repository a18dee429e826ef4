import {
  ActionFailedError,
  ErrorCode,
  ExecutionRecord,
  NotFoundError,
  ValidationError,
} from '@jarvis/contracts';
import { ExecutionRecordPublisher } from '../execution-records/execution-record.publisher';
import { ExecutableModule } from './executable-module';
import { ExecutionService } from './execution.service';

const testModule: ExecutableModule = {
  name: 'test',
  actions: {
    ok: () => Promise.resolve({ output: 42, impactScore: 1 }),
    boom: () => Promise.reject(new Error('exploded')),
    invalid: () => Promise.reject(new ValidationError('bad params')),
    hang: () => new Promise(() => undefined),
  },
};

describe(ExecutionService.name, () => {
  const published: ExecutionRecord[] = [];
  const records = {
    publish: (record: ExecutionRecord) => published.push(record),
  } as unknown as ExecutionRecordPublisher;
  const config = { tasks: { executeTimeoutMs: 200 } } as ConstructorParameters<
    typeof ExecutionService
  >[2];
  const service = new ExecutionService([testModule], records, config);

  beforeEach(() => {
    published.length = 0;
  });

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

  it('publishes a record of every execution, success or failure, under its execution id', async () => {
    const ok = await service.execute({ module: 'test', action: 'ok', params: { n: 1 } });
    await expect(service.execute({ module: 'test', action: 'boom' })).rejects.toThrow();
    await expect(service.execute({ module: 'test', action: 'invalid' })).rejects.toThrow();
    await expect(service.execute({ module: 'nope', action: 'ok' })).rejects.toThrow();

    expect(published).toEqual([
      expect.objectContaining({
        executionId: ok.executionId,
        taskId: null,
        domain: 'test',
        action: 'ok',
        phase: 'execute',
        success: true,
        error: null,
        durationMs: ok.durationMs,
        impactScore: 1,
        parameters: { n: 1 },
      }),
      expect.objectContaining({ action: 'boom', success: false, error: 'exploded' }),
      expect.objectContaining({ action: 'invalid', success: false, error: 'bad params' }),
    ]);
  });

  it('times out an action that runs past its limit, and records the failure', async () => {
    await expect(service.execute({ module: 'test', action: 'hang' })).rejects.toMatchObject({
      code: ErrorCode.DownstreamTimeout,
    });
    expect(published).toEqual([
      expect.objectContaining({
        action: 'hang',
        success: false,
        error: 'Action timed out after 200 ms',
      }),
    ]);
  });
});
