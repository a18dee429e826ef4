import { ExecutionPhase, ExecutionRecord } from '@jarvis/contracts';
import { currentCorrelationId } from '@jarvis/observability';

const MAX_ERROR_LENGTH = 10_000;

/** What any runner knows about one run of one action. */
export interface ExecutionRun {
  executionId: string;
  /** Null for a direct `execute` command. */
  taskId?: string | null;
  phase?: ExecutionPhase;
  /** The module or agent domain that ran it. */
  domain: string;
  action: string;
  parameters: Record<string, unknown>;
  startedAt: Date;
  durationMs: number;
  resourcesUsed?: Record<string, unknown>;
  logs?: string[];
  /** The run's correlation ID when not the one in scope (a task's own, say). */
  correlationId?: string | null;
}

/** The record of a run that succeeded; `impactScore` is kept only if it is a number in 0..1. */
export function succeededExecution(run: ExecutionRun, impactScore: unknown): ExecutionRecord {
  return recordOf(run, true, null, impactScore);
}

/** The record of a run that failed, with the error's message. */
export function failedExecution(run: ExecutionRun, error: unknown): ExecutionRecord {
  const message = error instanceof Error ? error.message : String(error);
  return recordOf(run, false, message.slice(0, MAX_ERROR_LENGTH), undefined);
}

function recordOf(
  run: ExecutionRun,
  success: boolean,
  error: string | null,
  impactScore: unknown,
): ExecutionRecord {
  return {
    executionId: run.executionId,
    taskId: run.taskId ?? null,
    domain: run.domain,
    action: run.action,
    phase: run.phase ?? 'execute',
    success,
    error,
    durationMs: Math.max(0, Math.round(run.durationMs)),
    impactScore: isImpactScore(impactScore) ? impactScore : null,
    resourcesUsed: run.resourcesUsed ?? {},
    parameters: run.parameters,
    logs: run.logs ?? [],
    correlationId:
      run.correlationId === undefined ? (currentCorrelationId() ?? null) : run.correlationId,
    createdAt: run.startedAt.toISOString(),
  };
}

function isImpactScore(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1;
}
