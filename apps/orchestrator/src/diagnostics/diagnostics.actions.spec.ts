import { ActionFailedError, ValidationError } from '@jarvis/contracts';
import { DiagnosticsActions } from './diagnostics.actions';
import { Sleeper } from './sleeper';

class RecordingSleeper extends Sleeper {
  readonly waits: number[] = [];
  override sleep(ms: number): Promise<void> {
    this.waits.push(ms);
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
