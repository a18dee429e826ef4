import { costOf, loadPriceTable, Random, seededRandom, standardNormal } from '@jarvis/ai';

/**
 * A synthetic replay in the evaluation's format, made from a small model of the world:
 * every prompt has a task class and a difficulty; each model has a skill per class and
 * succeeds with probability sigmoid(8 × (skill − difficulty)), so models agree on which
 * prompts are hard, as real ones do. Token counts are log-normal per class, costs are the
 * shipped price table's exact prices for those tokens, latency is a first-token delay plus
 * a per-token time with noise. It exercises the evaluation; it is not a benchmark of the
 * named models, whose real outcomes come from a converted public dataset.
 */
interface SyntheticModel {
  name: string;
  skill: number;
  /** Skill added per task class. */
  bonus: Partial<Record<TaskClass, number>>;
  verbosity: number;
  firstTokenMs: number;
  perTokenMs: number;
}

type TaskClass = 'chat' | 'summarize' | 'extraction' | 'code' | 'math';

const CLASSES: { name: TaskClass; difficulty: number; input: number; output: number }[] = [
  { name: 'chat', difficulty: 0.15, input: 150, output: 150 },
  { name: 'summarize', difficulty: 0.3, input: 1500, output: 250 },
  { name: 'extraction', difficulty: 0.35, input: 800, output: 120 },
  { name: 'code', difficulty: 0.6, input: 600, output: 500 },
  { name: 'math', difficulty: 0.65, input: 200, output: 400 },
];

const MODELS: SyntheticModel[] = [
  {
    name: 'claude-sonnet-4-20250514',
    skill: 0.85,
    bonus: { code: 0.1 },
    verbosity: 1.1,
    firstTokenMs: 700,
    perTokenMs: 15,
  },
  {
    name: 'gpt-4o',
    skill: 0.8,
    bonus: { math: 0.05 },
    verbosity: 1,
    firstTokenMs: 450,
    perTokenMs: 12,
  },
  {
    name: 'gemini-2.5-flash',
    skill: 0.7,
    bonus: { math: 0.1 },
    verbosity: 1,
    firstTokenMs: 350,
    perTokenMs: 5,
  },
  {
    name: 'claude-3-5-haiku-20241022',
    skill: 0.55,
    bonus: { code: 0.05 },
    verbosity: 0.9,
    firstTokenMs: 400,
    perTokenMs: 9,
  },
  {
    name: 'gpt-4o-mini',
    skill: 0.55,
    bonus: { extraction: 0.05 },
    verbosity: 0.9,
    firstTokenMs: 350,
    perTokenMs: 8,
  },
  {
    name: 'llama3.1:8b',
    skill: 0.35,
    bonus: { code: -0.15, math: -0.15 },
    verbosity: 1.2,
    firstTokenMs: 250,
    perTokenMs: 20,
  },
];

export function syntheticReplayCsv(prompts: number, seed: number): string {
  const random = seededRandom(seed);
  const prices = loadPriceTable();
  const lines = ['prompt_id,domain,model,score,cost_usd,latency_ms'];
  for (let index = 1; index <= prompts; index++) {
    const taskClass = CLASSES[Math.floor(random() * CLASSES.length)];
    const difficulty = taskClass.difficulty + 0.2 * standardNormal(random);
    const inputTokens = logNormal(random, taskClass.input, 0.5);
    const outputTokens = logNormal(random, taskClass.output, 0.5);
    const promptId = `p${String(index).padStart(5, '0')}`;
    for (const model of MODELS) {
      const skill = model.skill + (model.bonus[taskClass.name] ?? 0);
      const success = random() < 1 / (1 + Math.exp(-8 * (skill - difficulty)));
      const completionTokens = Math.max(1, Math.round(outputTokens * model.verbosity));
      const cost = costOf(prices.find(model.name)!, {
        promptTokens: inputTokens,
        completionTokens,
      });
      const latency = Math.round(
        (model.firstTokenMs + completionTokens * model.perTokenMs) *
          Math.exp(0.25 * standardNormal(random)),
      );
      lines.push(
        [promptId, taskClass.name, model.name, success ? 1 : 0, cost.toString(), latency].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

function logNormal(random: Random, median: number, sigma: number): number {
  return Math.max(1, Math.round(median * Math.exp(sigma * standardNormal(random))));
}
