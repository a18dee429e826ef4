import { Injectable } from '@nestjs/common';
import { ActionFailedError, ValidationError } from '@jarvis/contracts';
import { ActionHandler, ActionOutcome, ExecutableModule } from '../execution/executable-module';
import { Sleeper } from './sleeper';
import { DiagnosticsParams, diagnosticsParamsSchema } from './diagnostics.params';

const DEFAULT_SLEEP_MS = 1000;

/**
 * Synthetic actions for smoke tests and demos. Each honours `fail` (fail on purpose),
 * `ms` (wait first) and `impactScore` (reported with the result).
 */
@Injectable()
export class DiagnosticsActions implements ExecutableModule {
  readonly name = 'diagnostics';
  readonly actions: Readonly<Record<string, ActionHandler>> = {
    ping: this.action(() => 'pong'),
    echo: this.action((params) => params),
    succeed: this.action(() => 'succeeded'),
    fail: this.action(() => {
      throw new ActionFailedError('diagnostics/fail failed as asked');
    }),
    sleep: this.action((params, waitedMs) => ({ sleptMs: waitedMs }), DEFAULT_SLEEP_MS),
  };

  constructor(private readonly sleeper: Sleeper) {}

  private action(
    produce: (params: DiagnosticsParams, waitedMs: number) => unknown,
    defaultMs = 0,
  ): ActionHandler {
    return async (rawParams, context): Promise<ActionOutcome> => {
      const parsed = diagnosticsParamsSchema.safeParse(rawParams);
      if (!parsed.success) {
        throw new ValidationError(
          'Invalid diagnostics params',
          parsed.error.issues.map((issue) => ({
            field: `params.${issue.path.join('.')}`,
            reason: issue.message,
          })),
        );
      }
      const params = parsed.data;
      const waitMs = params.ms ?? defaultMs;
      if (waitMs > 0) await this.sleeper.sleep(waitMs, context?.signal);
      if (params.fail === true)
        throw new ActionFailedError('diagnostics action failed as asked (fail: true)');
      return { output: produce(params, waitMs), impactScore: params.impactScore };
    };
  }
}
