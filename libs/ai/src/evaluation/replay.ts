/**
 * A replay file: what each model did on each prompt, one row per (prompt, model). The
 * format is CSV with a header (columns in any order, `#` lines are comments) or JSON
 * Lines with the same keys:
 *
 *   prompt_id   string  the prompt (rows of one prompt are grouped; prompts keep file order)
 *   model       string  the model that answered it
 *   score       number  0..1: success (1/0) or a graded quality; success = score ≥ threshold
 *   cost_usd    number  what the answer cost
 *   latency_ms  number  how long it took (optional; RouterBench has none)
 *   domain      string  the prompt's task class, the learned policy's context (optional)
 *
 * RouterBench (one row per prompt, a score column and a `|total_cost` column per model)
 * becomes this format by melting the model columns; see docs/ai-router-eval.md.
 */
export interface ReplayRow {
  promptId: string;
  model: string;
  score: number;
  costUsd: number;
  latencyMs: number;
  domain: string;
}

export class ReplayFormatError extends Error {}

const REQUIRED = ['prompt_id', 'model', 'score', 'cost_usd'] as const;

export function parseReplay(text: string): ReplayRow[] {
  const lines = text
    .split(/\r?\n/)
    .map((line, index) => ({ line: line.trim(), number: index + 1 }))
    .filter(({ line }) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new ReplayFormatError('The replay file has no rows');
  return lines[0].line.startsWith('{') ? parseJsonLines(lines) : parseCsv(lines);
}

function parseCsv(lines: { line: string; number: number }[]): ReplayRow[] {
  const header = splitCsvLine(lines[0].line).map((name) => name.trim().toLowerCase());
  for (const column of REQUIRED) {
    if (!header.includes(column)) {
      throw new ReplayFormatError(`The replay header has no ${column} column`);
    }
  }
  return lines.slice(1).map(({ line, number }) => {
    const cells = splitCsvLine(line);
    const field = (name: string) => {
      const index = header.indexOf(name);
      return index < 0 ? undefined : cells[index]?.trim();
    };
    return toRow(field, number);
  });
}

function parseJsonLines(lines: { line: string; number: number }[]): ReplayRow[] {
  return lines.map(({ line, number }) => {
    let value: Record<string, unknown>;
    try {
      value = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new ReplayFormatError(`Line ${number} is not JSON`);
    }
    return toRow((name) => (value[name] === undefined ? undefined : String(value[name])), number);
  });
}

function toRow(field: (name: string) => string | undefined, line: number): ReplayRow {
  const text = (name: string) => {
    const value = field(name);
    if (!value) throw new ReplayFormatError(`Line ${line}: ${name} is empty`);
    return value;
  };
  const number = (name: string, optional = false) => {
    const value = field(name);
    if (optional && (value === undefined || value === '')) return 0;
    const parsed = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(parsed) || parsed < 0) {
      throw new ReplayFormatError(`Line ${line}: ${name} must be a non-negative number`);
    }
    return parsed;
  };
  const score = number('score');
  if (score > 1) throw new ReplayFormatError(`Line ${line}: score must be between 0 and 1`);
  return {
    promptId: text('prompt_id'),
    model: text('model'),
    score,
    costUsd: number('cost_usd'),
    latencyMs: number('latency_ms', true),
    domain: field('domain') || 'default',
  };
}

/** Splits one CSV line; double-quoted cells may hold commas and doubled quotes. */
function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const char = line[i];
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells;
}

/** One prompt with every model's outcome on it. */
export interface ReplayPrompt {
  promptId: string;
  domain: string;
  outcomes: ReadonlyMap<string, ReplayRow>;
}

/**
 * Groups rows by prompt in file order and keeps the prompts every model answered (the
 * evaluation replays full information: whatever a policy picks, its outcome is known).
 */
export function groupReplay(rows: ReplayRow[]): {
  prompts: ReplayPrompt[];
  models: string[];
  dropped: number;
} {
  const models = [...new Set(rows.map((row) => row.model))].sort();
  const byPrompt = new Map<string, ReplayRow[]>();
  for (const row of rows) {
    const list = byPrompt.get(row.promptId) ?? [];
    list.push(row);
    byPrompt.set(row.promptId, list);
  }
  const prompts: ReplayPrompt[] = [];
  let dropped = 0;
  for (const [promptId, list] of byPrompt) {
    const outcomes = new Map(list.map((row) => [row.model, row]));
    if (outcomes.size !== models.length) {
      dropped++;
      continue;
    }
    prompts.push({ promptId, domain: list[0].domain, outcomes });
  }
  return { prompts, models, dropped };
}
