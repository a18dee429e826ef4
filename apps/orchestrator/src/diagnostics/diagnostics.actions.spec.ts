import { ActionFailedError, ValidationError } from '@jarvis/contracts';
import { DiagnosticsActions } from './diagnostics.actions';
import { Sleeper } from './sleeper';

class RecordingSleeper extends Sleeper {
  readonly waits: number[] = [];
  readonly signals: (AbortSignal | undefined)[] = [];
  override sleep(ms: number, signal?: AbortSignal): Promise<void> {
    this.waits.push(ms);
    this.signals.push(signal);
    return Promise.resolve();
  }
}

describe(DiagnosticsActions.name, () => {
  let sleeper: RecordingSleeper;
  let diagnostics: DiagnosticsActions;

  beforeEach(() => {
    sleeper = new RecordingSleeper();
    diagnostics = new DiagnosticsActions(sleeper);
  });

  it('answers pong to ping', async () => {
    await expect(diagnostics.actions.ping({})).resolves.toEqual({
      output: 'pong',
      impactScore: undefined,
    });
  });

  it('echoes its params', async () => {
    await expect(diagnostics.actions.echo({ hello: 'world', n: 1 })).resolves.toMatchObject({
      output: { hello: 'world', n: 1 },
    });
  });

  it('reports the impact score it is given', async () => {
    await expect(diagnostics.actions.succeed({ impactScore: 0.4 })).resolves.toEqual({
      output: 'succeeded',
      impactScore: 0.4,
    });
  });

  it('fails when asked, on any action, after waiting', async () => {
    await expect(diagnostics.actions.ping({ fail: true, ms: 30 })).rejects.toBeInstanceOf(
      ActionFailedError,
    );
    expect(sleeper.waits).toEqual([30]);
    await expect(diagnostics.actions.fail({})).rejects.toBeInstanceOf(ActionFailedError);
  });

  it('sleeps one second unless told otherwise', async () => {
    await expect(diagnostics.actions.sleep({})).resolves.toMatchObject({
      output: { sleptMs: 1000 },
    });
    await expect(diagnostics.actions.sleep({ ms: 5 })).resolves.toMatchObject({
      output: { sleptMs: 5 },
    });
    expect(sleeper.waits).toEqual([1000, 5]);
  });

  it('hands its cancellation signal to the wait', async () => {
    const cancel = new AbortController();
    await diagnostics.actions.sleep(
      { ms: 5 },
      { signal: cancel.signal, reportProgress: () => undefined },
    );
    expect(sleeper.signals).toEqual([cancel.signal]);
  });

  it('stops sleeping when cancelled', async () => {
    const real = new DiagnosticsActions(new Sleeper());
    const cancel = new AbortController();
    const sleeping = real.actions.sleep(
      { ms: 60_000 },
      { signal: cancel.signal, reportProgress: () => undefined },
    );
    cancel.abort('cancelled');
    await expect(sleeping).rejects.toBeDefined();
  });

  it.each([
    [{ ms: -1 }, 'params.ms'],
    [{ ms: 60_001 }, 'params.ms'],
    [{ impactScore: 1.5 }, 'params.impactScore'],
    [{ fail: 'yes' }, 'params.fail'],
  ])('rejects %p naming %s', async (params, field) => {
    const failure = diagnostics.actions.ping(params);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({ details: [expect.objectContaining({ field })] });
  });
});
