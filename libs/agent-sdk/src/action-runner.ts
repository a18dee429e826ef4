import { ErrorCode, JarvisError } from '@jarvis/contracts';
import { ActionHandler, ActionOutcome, ProgressUpdate } from './agent-action';

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

/**
 * Runs one action with a timeout and a cancellation signal, and says how it ended.
 * An action that ignores its signal is not waited for once it is aborted.
 */
export async function runAction(
  handler: ActionHandler,
  params: Record<string, unknown>,
  options: ActionRunOptions,
): Promise<ActionRun> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new ActionTimeout(options.timeoutMs)),
    options.timeoutMs,
  );
  const forward = () => controller.abort(options.signal?.reason);
  if (options.signal?.aborted) forward();
  else options.signal?.addEventListener('abort', forward, { once: true });
  const aborted = new Promise<never>((_, reject) => {
    const fail = () => reject(controller.signal.reason as Error);
    if (controller.signal.aborted) fail();
    else controller.signal.addEventListener('abort', fail, { once: true });
  });
  aborted.catch(() => undefined);
  try {
    const value = await Promise.race([
      handler(params, {
        signal: controller.signal,
        reportProgress: (progress) => options.onProgress?.(progress),
      }),
      aborted,
    ]);
    return { outcome: 'succeeded', value: value ?? { output: null }, durationMs: elapsed() };
  } catch (error) {
    const reason: unknown = controller.signal.aborted ? controller.signal.reason : undefined;
    if (reason === 'cancelled' || reason === 'shutdown') {
      return { outcome: 'cancelled', reason, durationMs: elapsed() };
    }
    const cause = reason instanceof ActionTimeout ? reason : error;
    return {
      outcome: 'failed',
      error: cause,
      message: cause instanceof Error ? cause.message : String(cause),
      retryable: !(cause instanceof JarvisError && PERMANENT_CODES.has(cause.code)),
      timedOut: cause instanceof ActionTimeout,
      durationMs: elapsed(),
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forward);
  }
}
