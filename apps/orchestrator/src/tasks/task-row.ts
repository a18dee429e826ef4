import { TaskDecision, TaskPriority, TaskProgress, TaskStatus, TaskView } from '@jarvis/contracts';

/** A `tasks` row as the store reads it, with its latest decision. */
export interface TaskRow {
  id: string;
  domain: string;
  action: string;
  title: string | null;
  params: Record<string, unknown>;
  priority: TaskPriority;
  status: TaskStatus;
  attempts: number;
  max_attempts: number;
  dispatch: number;
  stream_seq: string | null;
  agent: string | null;
  result: unknown;
  error: string | null;
  progress: TaskProgress | null;
  correlation_id: string | null;
  created_at: Date;
  updated_at: Date;
  queued_at: Date | null;
  started_at: Date | null;
  finished_at: Date | null;
  decision: DecisionJson | null;
}

/** The decision as `json_build_object` returns it (timestamps as text). */
export interface DecisionJson {
  decision: TaskDecision['decision'];
  reasoning: string;
  confidence: number;
  history_available: boolean;
  success_rate: number | null;
  total_executions: number | null;
  applied_parameters: Record<string, unknown>;
  created_at: string;
}

export function taskViewOf(row: TaskRow): TaskView {
  return {
    id: row.id,
    domain: row.domain,
    action: row.action,
    title: row.title,
    priority: row.priority,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    params: row.params,
    decision: row.decision ? decisionOf(row.decision) : null,
    result: row.result ?? null,
    error: row.error,
    progress: row.progress,
    agent: row.agent,
    correlationId: row.correlation_id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    queuedAt: row.queued_at?.toISOString() ?? null,
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

function decisionOf(json: DecisionJson): TaskDecision {
  return {
    decision: json.decision,
    reasoning: json.reasoning,
    confidence: json.confidence,
    historyAvailable: json.history_available,
    successRate: json.success_rate,
    totalExecutions: json.total_executions,
    appliedParameters: json.applied_parameters,
    decidedAt: new Date(json.created_at).toISOString(),
  };
}
