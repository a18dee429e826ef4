import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import {
  ActionFailedError,
  ExecuteCommand,
  ExecuteResult,
  JarvisError,
  NotFoundError,
} from '@jarvis/contracts';
import { EXECUTABLE_MODULES, ExecutableModule } from './executable-module';

/** Runs one action of one module and measures it. */
@Injectable()
export class ExecutionService {
  private readonly logger = new Logger(ExecutionService.name);
  private readonly modules: ReadonlyMap<string, ExecutableModule>;

  constructor(@Inject(EXECUTABLE_MODULES) modules: ExecutableModule[]) {
    this.modules = new Map(modules.map((module) => [module.name, module]));
  }

  async execute(command: ExecuteCommand): Promise<ExecuteResult> {
    const module = this.modules.get(command.module);
    if (!module) {
      throw new NotFoundError(`Unknown module "${command.module}"`, {
        known: [...this.modules.keys()],
      });
    }
    const action = Object.hasOwn(module.actions, command.action)
      ? module.actions[command.action]
      : undefined;
    if (!action) {
      throw new NotFoundError(`Module "${command.module}" has no action "${command.action}"`, {
        known: Object.keys(module.actions),
      });
    }
    const executionId = randomUUID();
    const started = performance.now();
    this.logger.log(
      { executionId, module: command.module, action: command.action },
      'Execution started',
    );
    try {
      const outcome = await action(command.params ?? {});
      const durationMs = Math.round(performance.now() - started);
      this.logger.log({ executionId, durationMs }, 'Execution succeeded');
      return { executionId, result: outcome, durationMs };
    } catch (error) {
      const durationMs = Math.round(performance.now() - started);
      if (error instanceof JarvisError && !(error instanceof ActionFailedError)) throw error;
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn({ executionId, durationMs, error: message }, 'Execution failed');
      throw new ActionFailedError(message, { executionId, durationMs });
    }
  }
}
