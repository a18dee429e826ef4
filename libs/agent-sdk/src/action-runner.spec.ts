import { setTimeout as delay } from 'node:timers/promises';
import { ErrorCode, JarvisError, ValidationError } from '@jarvis/contracts';
import { runAction, startAction } from './action-runner';

describe(runAction.name, () => {
  it('answers the outcome of an action that succeeds, with its duration', async () => {
    const run = await runAction(
      () => Promise.resolve({ output: 'ok', impactScore: 1 }),
      {},
      {
        timeoutMs: 1000,
      },
    );
    expect(run).toMatchObject({ outcome: 'succeeded', value: { output: 'ok', impactScore: 1 } });
    expect(run.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('calls a failure retryable unless the params or the action are wrong', async () => {
    const failed = await runAction(
      () => Promise.reject(new Error('flaky')),
      {},
      { timeoutMs: 1000 },
    );
    expect(failed).toMatchObject({ outcome: 'failed', message: 'flaky', retryable: true });
    const invalid = await runAction(
      () => Promise.reject(new ValidationError('bad')),
      {},
      {
        timeoutMs: 1000,
      },
    );
    expect(invalid).toMatchObject({ outcome: 'failed', retryable: false });
    const unknown = await runAction(
      () => Promise.reject(new JarvisError(ErrorCode.NotFound, 'no such action')),
      {},
      { timeoutMs: 1000 },
    );
    expect(unknown).toMatchObject({ outcome: 'failed', retryable: false });
  });

  it('fails a run whose action throws before it answers', async () => {
    const run = await runAction(
      () => {
        throw new Error('at once');
      },
      {},
      { timeoutMs: 1000 },
    );
    expect(run).toMatchObject({ outcome: 'failed', message: 'at once', retryable: true });
  });

  it('times out an action that runs too long, even one that ignores its signal', async () => {
    let sawAbort = false;
    const run = await runAction(
      (_, context) => {
        context?.signal.addEventListener('abort', () => (sawAbort = true));
        return new Promise(() => undefined);
      },
      {},
      { timeoutMs: 20 },
    );
    expect(run).toMatchObject({
      outcome: 'failed',
      timedOut: true,
      retryable: true,
      message: 'Action timed out after 20 ms',
    });
    expect(sawAbort).toBe(true);
  });

  it('leaves the timeout to the caller when asked to run without a timer', async () => {
    const run = startAction(
      () => new Promise(() => undefined),
      {},
      { timeoutMs: 20, timer: false },
    );
    expect(run.timeOutIfOverdue()).toBe(false);
    const ended = jest.fn();
    void run.done.then(ended);
    await delay(40);
    expect(ended).not.toHaveBeenCalled();
    expect(run.timeOutIfOverdue()).toBe(true);
    await expect(run.done).resolves.toMatchObject({
      outcome: 'failed',
      timedOut: true,
      message: 'Action timed out after 20 ms',
    });
    expect(run.timeOutIfOverdue()).toBe(false);
  });

  it('does not time out a run that already ended', async () => {
    const run = startAction(
      () => Promise.resolve({ output: 1 }),
      {},
      { timeoutMs: 0, timer: false },
    );
    await expect(run.done).resolves.toMatchObject({ outcome: 'succeeded' });
    expect(run.timeOutIfOverdue()).toBe(false);
  });

  it('stops when cancelled, and says it was cancelled', async () => {
    const cancel = new AbortController();
    const running = runAction(
      async (_, context) => {
        await delay(10_000, undefined, { signal: context?.signal });
        return { output: 'too late' };
      },
      {},
      { timeoutMs: 60_000, signal: cancel.signal },
    );
    cancel.abort('cancelled');
    await expect(running).resolves.toMatchObject({ outcome: 'cancelled', reason: 'cancelled' });
  });

  it('passes progress reports on', async () => {
    const seen: unknown[] = [];
    await runAction(
      (_, context) => {
        context?.reportProgress({ percent: 50, message: 'half way' });
        return Promise.resolve({ output: null });
      },
      {},
      { timeoutMs: 1000, onProgress: (progress) => seen.push(progress) },
    );
    expect(seen).toEqual([{ percent: 50, message: 'half way' }]);
  });
});
