import { TaskDecision, TaskStats } from '@jarvis/contracts';

/** Below this success rate, over more than {@link MIN_EXECUTIONS_TO_DEFER} runs, a task is deferred. */
export const DEFER_BELOW_SUCCESS_RATE = 0.2;
export const MIN_EXECUTIONS_TO_DEFER = 5;
export const DEFER_CONFIDENCE = 0.9;
/** Confidence when there is too little history to lean on. */
export const UNINFORMED_CONFIDENCE = 0.5;
export const LEARNING_WINDOW_HOURS = 168;

export interface DecidedTask {
  decision: Omit<TaskDecision, 'decidedAt'>;
  /** The parameters to run with: the submitter's, completed by learned ones. */
  params: Record<string, unknown>;
}

/** What history answered, or why it did not. */
export type HistoryAnswer = { stats: TaskStats } | { unavailable: string };

/**
 * Decides with what history learned about (domain, action) over the last week: defer
 * what mostly fails; otherwise fill the parameters the submitter left unset with the
 * learned optimal ones (the submitter's values win).
 */
export function decideTask(answer: HistoryAnswer, submitted: Record<string, unknown>): DecidedTask {
  if ('unavailable' in answer) {
    return {
      params: submitted,
      decision: {
        decision: 'proceed',
        reasoning: `History did not answer (${answer.unavailable}); going ahead without learning`,
        confidence: UNINFORMED_CONFIDENCE,
        historyAvailable: false,
        successRate: null,
        totalExecutions: null,
        appliedParameters: {},
      },
    };
  }
  const { stats } = answer;
  const rate = stats.successRate;
  const runs = stats.totalExecutions;
  const observed = `${percent(rate)} (${stats.successCount} of ${runs} executions in the last ${LEARNING_WINDOW_HOURS} h)`;
  const known = { historyAvailable: true, successRate: rate, totalExecutions: runs };
  if (runs > MIN_EXECUTIONS_TO_DEFER && rate < DEFER_BELOW_SUCCESS_RATE) {
    return {
      params: submitted,
      decision: {
        decision: 'defer',
        reasoning: `Historical success rate too low: ${observed}, below ${percent(DEFER_BELOW_SUCCESS_RATE)}`,
        confidence: DEFER_CONFIDENCE,
        appliedParameters: {},
        ...known,
      },
    };
  }
  const applied = Object.fromEntries(
    Object.entries(stats.optimalParameters ?? {}).filter(([key]) => !Object.hasOwn(submitted, key)),
  );
  const filled = Object.keys(applied);
  return {
    params: { ...applied, ...submitted },
    decision: {
      decision: 'proceed',
      reasoning:
        (runs === 0
          ? 'No executions in the last 168 h yet'
          : `Historical success rate ${observed}`) +
        (filled.length > 0
          ? `; filled ${filled.join(', ')} from the learned optimal parameters`
          : ''),
      confidence: runs > MIN_EXECUTIONS_TO_DEFER ? round(rate) : UNINFORMED_CONFIDENCE,
      appliedParameters: applied,
      ...known,
    },
  };
}

function percent(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
