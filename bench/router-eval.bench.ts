import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import {
  DEFAULT_EVALUATION_SETTINGS,
  evaluateRouter,
  parseReplay,
  PolicyResult,
  RouterEvaluation,
} from '@jarvis/ai';
import { syntheticReplayCsv } from './router-replay-sample';

/**
 * `npm run eval:router [-- --replay FILE] [--threshold 0.5] [--warmup 0.2] [--seed 1]`
 * replays a file of (prompt, model, score, cost, latency) rows through each routing policy
 * and compares it with always using the strongest model. Its last line is one JSON object.
 * `-- --generate FILE [--prompts 500] [--seed 7]` writes a synthetic replay instead.
 */
const DEFAULT_REPLAY = 'bench/data/router-replay.sample.csv';

function main(): void {
  const { values } = parseArgs({
    options: {
      replay: { type: 'string', default: DEFAULT_REPLAY },
      threshold: { type: 'string' },
      warmup: { type: 'string' },
      seed: { type: 'string' },
      generate: { type: 'string' },
      prompts: { type: 'string', default: '500' },
    },
  });
  if (values.generate) {
    const file = resolve(values.generate);
    writeFileSync(file, syntheticReplayCsv(Number(values.prompts), Number(values.seed ?? 7)));
    process.stdout.write(`Wrote ${values.prompts} synthetic prompts to ${file}\n`);
    return;
  }
  const file = resolve(values.replay);
  const settings = {
    ...DEFAULT_EVALUATION_SETTINGS,
    ...(values.threshold ? { successThreshold: Number(values.threshold) } : {}),
    ...(values.warmup ? { warmupFraction: Number(values.warmup) } : {}),
    ...(values.seed ? { seed: Number(values.seed) } : {}),
  };
  const started = performance.now();
  const evaluation = evaluateRouter(parseReplay(readFileSync(file, 'utf8')), settings);
  const elapsedMs = performance.now() - started;
  print(evaluation, values.replay, settings.successThreshold, elapsedMs);
}

function print(
  evaluation: RouterEvaluation,
  replay: string,
  threshold: number,
  elapsedMs: number,
): void {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out(
    `Router evaluation: ${replay}, ${evaluation.models.length} models, ` +
      `${evaluation.warmupPrompts} warm-up + ${evaluation.evaluatedPrompts} evaluated prompts` +
      (evaluation.droppedPrompts ? ` (${evaluation.droppedPrompts} incomplete dropped)` : '') +
      `, success = score >= ${threshold}`,
  );
  out(`Strongest model (baseline): ${evaluation.strongest}`);
  out();
  out('model                          warm-up success   mean cost USD');
  for (const entry of evaluation.calibration) {
    out(
      `${entry.model.padEnd(30)} ${pct(entry.successRate).padStart(15)}   ${entry.meanCostUsd.toFixed(6).padStart(13)}`,
    );
  }
  out();
  out(
    'policy           success   cost USD   cost/success   p95 ms   savings   success ratio   picks',
  );
  for (const result of evaluation.results) out(row(result));
  const summary: Record<string, unknown> = {
    bench: 'router',
    replay,
    models: evaluation.models.length,
    prompts: evaluation.evaluatedPrompts,
    strongest: evaluation.strongest,
    eval_ms: Math.round(elapsedMs),
  };
  for (const result of evaluation.results) {
    if (result.policy === 'strongest') continue;
    const key = result.policy.replace(/-/g, '_');
    summary[`${key}_savings`] = round(result.savings);
    summary[`${key}_success_ratio`] = round(result.successRatio);
  }
  out();
  out(JSON.stringify(summary));
}

function row(result: PolicyResult): string {
  const picks = Object.entries(result.picks)
    .sort((a, b) => b[1] - a[1])
    .map(([model, count]) => `${model}:${count}`)
    .join(' ');
  return [
    result.policy.padEnd(15),
    pct(result.successRate).padStart(8),
    result.costUsd.toFixed(4).padStart(10),
    (result.costPerSuccessUsd === null ? '-' : result.costPerSuccessUsd.toFixed(6)).padStart(14),
    String(Math.round(result.p95LatencyMs)).padStart(8),
    pct(result.savings).padStart(9),
    result.successRatio.toFixed(3).padStart(15),
    `  ${picks}`,
  ].join(' ');
}

const pct = (value: number) => `${(value * 100).toFixed(1)}%`;
const round = (value: number) => Math.round(value * 1000) / 1000;

main();
