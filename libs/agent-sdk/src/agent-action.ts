/** What an action reports besides its output. */
export interface ActionOutcome {
  output: unknown;
  /** 0..1: how much the action achieved, as judged by the module. */
  impactScore?: number;
  /** What the run consumed (tokens, bytes, calls), as the module counts it. */
  resourcesUsed?: Record<string, unknown>;
}

export interface ProgressUpdate {
  /** 0..100 */
  percent?: number;
  message?: string;
}

/** What a running action may use: its cancellation signal and a way to report progress. */
export interface ActionContext {
  /** Aborted when the task is cancelled, times out or the worker stops. */
  signal: AbortSignal;
  /** Keeps the task's delivery alive and tells the orchestrator how far the action got. */
  reportProgress(progress: ProgressUpdate): void;
}

/** One action: takes its params, answers an outcome or throws. The context is optional. */
export type ActionHandler = (
  params: Record<string, unknown>,
  context?: ActionContext,
) => Promise<ActionOutcome>;

/** An agent's domain and the actions it offers. */
export interface AgentDefinition {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionHandler>>;
}

/** The handler of `action`, if the agent has one of its own by that name. */
export function actionOf(agent: AgentDefinition, action: string): ActionHandler | undefined {
  return Object.hasOwn(agent.actions, action) ? agent.actions[action] : undefined;
}
