import { ErrorCode, JarvisError } from '@jarvis/contracts';
import { ActionContext, ActionHandler, ActionOutcome, ProgressUpdate } from './agent-action';

export type ActionRun =
  | { outcome: 'succeeded'; value: ActionOutcome; durationMs: number }
  | {
      outcome: 'failed';
      error: unknown;
      message: string;
      /** False when the same params would fail the same way. */
      retryable: boolean;
      timedOut: boolean;
      durationMs: number;
    }
  | { outcome: 'cancelled'; reason: 'cancelled' | 'shutdown'; durationMs: number };

export interface ActionRunOptions {
  timeoutMs: number;
  /** Aborting it with reason `'cancelled'` or `'shutdown'` stops the run. */
  signal?: AbortSignal;
  onProgress?: (progress: ProgressUpdate) => void;
}

/** Errors that say the request itself is wrong: running it again cannot help. */
const PERMANENT_CODES = new Set<ErrorCode>([ErrorCode.ValidationFailed, ErrorCode.NotFound]);

class ActionTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`Action timed out after ${timeoutMs} ms`);
  }
}

/** A run under way: its outcome, and a way to stop it. */
export interface StartedAction {
  readonly done: Promise<ActionRun>;
  /** Stops the run: it ends `cancelled` for these reasons, `failed` for any other. */
  abort(reason: unknown): void;
  /** Ends the run as timed out if it has gone on longer than its timeout; answers whether it did. */
  timeOutIfOverdue(): boolean;
}

export interface StartActionOptions extends Omit<ActionRunOptions, 'signal'> {
  /**
   * False when the caller calls `timeOutIfOverdue` itself from time to time, as a worker
   * running many short tasks does: a timer per run is a visible share of its time.
   */
  timer?: boolean;
}

/**
 * Runs one action with a timeout and a cancellation signal, and says how it ended.
 * An action that ignores its signal is not waited for once it is aborted.
 */
export function runAction(
  handler: ActionHandler,
  params: Record<string, unknown>,
  options: ActionRunOptions,
): Promise<ActionRun> {
  const { signal } = options;
  const run = startAction(handler, params, options);
  if (!signal) return run.done;
  const forward = () => run.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  return run.done.finally(() => signal.removeEventListener('abort', forward));
}

/**
 * Starts one action and answers a handle to stop it. The run ends with whichever comes
 * first: the action's answer, its timeout or an abort. The action's abort signal is made
 * only if the action asks for it: most actions finish without looking, and a signal per
 * run is a noticeable share of a busy worker's time.
 */
export function startAction(
  handler: ActionHandler,
  params: Record<string, unknown>,
  options: StartActionOptions,
): StartedAction {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let controller: AbortController | undefined;
  let abortReason: unknown;
  let aborted = false;
  let ended = false;
  let resolve: (run: ActionRun) => void = () => undefined;
  const done = new Promise<ActionRun>((settle) => (resolve = settle));
  const end = (run: ActionRun) => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    resolve(run);
  };
  const fail = (cause: unknown): ActionRun => ({
    outcome: 'failed',
    error: cause,
    message: cause instanceof Error ? cause.message : String(cause),
    retryable: !(cause instanceof JarvisError && PERMANENT_CODES.has(cause.code)),
    timedOut: cause instanceof ActionTimeout,
    durationMs: elapsed(),
  });
  const abort = (reason: unknown) => {
    if (aborted) return;
    aborted = true;
    abortReason = reason;
    controller?.abort(reason);
    end(
      reason === 'cancelled' || reason === 'shutdown'
        ? { outcome: 'cancelled', reason, durationMs: elapsed() }
        : fail(reason),
    );
  };
  const context: ActionContext = {
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (aborted) controller.abort(abortReason);
      }
      return controller.signal;
    },
    reportProgress: (progress) => options.onProgress?.(progress),
  };
  const timeOut = () => abort(new ActionTimeout(options.timeoutMs));
  const timer = options.timer === false ? undefined : setTimeout(timeOut, options.timeoutMs);
  let answer: Promise<ActionOutcome>;
  try {
    answer = handler(params, context);
  } catch (error) {
    answer = Promise.reject(error);
  }
  // An action that ignores its signal is not waited for: its late answer is dropped.
  Promise.resolve(answer).then(
    (value) =>
      end({ outcome: 'succeeded', value: value ?? { output: null }, durationMs: elapsed() }),
    (error: unknown) => end(fail(error)),
  );
  const timeOutIfOverdue = () => {
    if (ended || performance.now() - started < options.timeoutMs) return false;
    timeOut();
    return true;
  };
  return { done, abort, timeOutIfOverdue };
}
