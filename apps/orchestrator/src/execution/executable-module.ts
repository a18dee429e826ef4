/** What an action reports besides its output. */
export interface ActionOutcome {
  output: unknown;
  /** 0..1: how much the action achieved, as judged by the module. */
  impactScore?: number;
}

export type ActionHandler = (params: Record<string, unknown>) => Promise<ActionOutcome>;

/** A module that `execute` can run: a name and its actions. */
export interface ExecutableModule {
  readonly name: string;
  readonly actions: Readonly<Record<string, ActionHandler>>;
}

/** Injection token of the list of modules `execute` can reach. */
export const EXECUTABLE_MODULES = Symbol('EXECUTABLE_MODULES');
