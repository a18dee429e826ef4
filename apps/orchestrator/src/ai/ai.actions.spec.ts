import { AiCompleteParams, ValidationError } from '@jarvis/contracts';
import { AiActions } from './ai.actions';
import { AiCompletionService } from './ai-completion.service';

describe(AiActions.name, () => {
  const received: AiCompleteParams[] = [];
  const completions = {
    complete: (params: AiCompleteParams) => {
      received.push(params);
      return Promise.resolve({ text: 'ok' });
    },
  } as unknown as AiCompletionService;
  const actions = new AiActions(completions);

  it('passes valid params on and answers the completion as its output', async () => {
    await expect(
      actions.actions.complete({
        prompt: 'hi',
        policy: 'learned',
        maxCostUsd: '0.01',
        domain: 'chat',
      }),
    ).resolves.toEqual({ output: { text: 'ok' } });
    expect(received.at(-1)).toEqual({
      prompt: 'hi',
      policy: 'learned',
      maxCostUsd: '0.01',
      domain: 'chat',
    });
  });

  it.each([
    [{}, 'params.prompt'],
    [{ prompt: 'a', messages: [{ role: 'user', content: 'b' }] }, 'params.prompt'],
    [{ prompt: 'a', policy: 'explicit' }, 'params.model'],
    [{ prompt: 'a', policy: 'smartest' }, 'params.policy'],
    [{ prompt: 'a', maxCostUsd: '-1' }, 'params.maxCostUsd'],
    [{ prompt: 'a', colour: 'red' }, 'params'],
    [{ messages: [{ role: 'robot', content: 'b' }] }, 'params.messages.0.role'],
  ])('rejects %p naming %s', async (params, field) => {
    const failure = actions.actions.complete(params);
    await expect(failure).rejects.toBeInstanceOf(ValidationError);
    await expect(failure).rejects.toMatchObject({
      details: expect.arrayContaining([expect.objectContaining({ field })]),
    });
  });
});
