import { parseReplay, ReplayFormatError } from './replay';
import { DEFAULT_EVALUATION_SETTINGS, evaluateRouter } from './router-evaluation';

/** Two task classes; `big` always succeeds, `small` only on easy prompts and costs 1/20th. */
function replayCsv(prompts: number): string {
  const lines = ['prompt_id,model,score,cost_usd,latency_ms,domain'];
  for (let i = 0; i < prompts; i++) {
    const domain = i % 2 === 0 ? 'easy' : 'hard';
    lines.push(`p${i},big,1,0.02,2000,${domain}`);
    lines.push(`p${i},small,${domain === 'easy' ? 1 : 0},0.001,500,${domain}`);
  }
  return lines.join('\n');
}

describe(parseReplay.name, () => {
  it('reads CSV with columns in any order, quotes and comments', () => {
    const rows = parseReplay(
      '# a comment\nmodel,prompt_id,cost_usd,score\n"gpt, quoted",p1,0.5,1\nsmall,p1,0.1,0.25\n',
    );
    expect(rows).toEqual([
      {
        promptId: 'p1',
        model: 'gpt, quoted',
        score: 1,
        costUsd: 0.5,
        latencyMs: 0,
        domain: 'default',
      },
      {
        promptId: 'p1',
        model: 'small',
        score: 0.25,
        costUsd: 0.1,
        latencyMs: 0,
        domain: 'default',
      },
    ]);
  });

  it('reads JSON Lines with the same keys', () => {
    const rows = parseReplay(
      '{"prompt_id":"p1","model":"m","score":1,"cost_usd":0.2,"latency_ms":30,"domain":"code"}',
    );
    expect(rows[0]).toEqual({
      promptId: 'p1',
      model: 'm',
      score: 1,
      costUsd: 0.2,
      latencyMs: 30,
      domain: 'code',
    });
  });

  it.each([
    ['prompt_id,model,score\np,m,1', /no cost_usd column/],
    ['prompt_id,model,score,cost_usd\np,m,2,0.1', /Line 2: score must be between 0 and 1/],
    ['prompt_id,model,score,cost_usd\np,m,1,-1', /Line 2: cost_usd must be a non-negative/],
    ['prompt_id,model,score,cost_usd\n,m,1,1', /Line 2: prompt_id is empty/],
    ['', /no rows/],
  ])('rejects %p', (text, message) => {
    expect(() => parseReplay(text)).toThrow(ReplayFormatError);
    expect(() => parseReplay(text)).toThrow(message);
  });
});

describe(evaluateRouter.name, () => {
  const evaluation = evaluateRouter(parseReplay(replayCsv(400)), DEFAULT_EVALUATION_SETTINGS);
  const result = (policy: string) => evaluation.results.find((r) => r.policy === policy)!;

  it('compares every policy with always using the strongest model', () => {
    expect(evaluation.strongest).toBe('big');
    expect(evaluation.warmupPrompts).toBe(80);
    expect(evaluation.evaluatedPrompts).toBe(320);
    expect(result('strongest')).toMatchObject({ successRate: 1, savings: 0, successRatio: 1 });
    expect(result('cheapest')).toMatchObject({ successRate: 0.5, successRatio: 0.5 });
    expect(result('cheapest').savings).toBeCloseTo(0.95, 5);
  });

  it('knows the oracle: the cheap model where it succeeds, the strong one elsewhere', () => {
    expect(result('oracle').successRate).toBe(1);
    expect(result('oracle').savings).toBeCloseTo(1 - (160 * 0.001 + 160 * 0.02) / (320 * 0.02), 5);
  });

  it('learns per task class to save most of the cost at nearly full success', () => {
    const learned = result('learned');
    expect(learned.successRatio).toBeGreaterThan(0.9);
    expect(learned.savings).toBeGreaterThan(0.3);
  });

  it('repeats exactly with the same seed', () => {
    const again = evaluateRouter(parseReplay(replayCsv(400)), DEFAULT_EVALUATION_SETTINGS);
    expect(again.results).toEqual(evaluation.results);
  });

  it('drops prompts that not every model answered', () => {
    const partial = evaluateRouter(
      parseReplay(`${replayCsv(10)}\np-extra,big,1,0.02,100,easy`),
      DEFAULT_EVALUATION_SETTINGS,
    );
    expect(partial.droppedPrompts).toBe(1);
  });
});
