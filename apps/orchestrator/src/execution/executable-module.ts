import type { ActionHandler } from '@jarvis/agent-sdk';

export type { ActionContext, ActionHandler, ActionOutcome } from '@jarvis/agent-sdk';

/**
 * A module the orchestrator's built-in agents offer: a name (the agent's domain) and its
 * actions. `execute` and queued tasks of that domain both run these actions.
 */
export interface ExecutableModule {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionHandler>>;
}

/** Injection token of the list of modules the built-in agents offer. */
export const EXECUTABLE_MODULES = Symbol('EXECUTABLE_MODULES');
