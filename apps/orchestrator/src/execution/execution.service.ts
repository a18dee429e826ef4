import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { actionOf, runAction } from '@jarvis/agent-sdk';
import {
  ActionFailedError,
  DownstreamTimeoutError,
  ExecuteCommand,
  ExecuteResult,
  JarvisError,
  NotFoundError,
} from '@jarvis/contracts';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { ExecutionRecordPublisher } from '../execution-records/execution-record.publisher';
import {
  ExecutionRun,
  failedExecution,
  succeededExecution,
} from '../execution-records/execution-record.factory';
import { EXECUTABLE_MODULES, ExecutableModule } from './executable-module';

/**
 * Runs one action of a built-in agent synchronously, with the agents' own runner and a
 * timeout, measures it and has it recorded in history like a queued task's run.
 */
@Injectable()
export class ExecutionService {
  private readonly logger = new Logger(ExecutionService.name);
  private readonly modules: ReadonlyMap<string, ExecutableModule>;

  constructor(
    @Inject(EXECUTABLE_MODULES) modules: ExecutableModule[],
    private readonly records: ExecutionRecordPublisher,
    @Inject(JARVIS_CONFIG) private readonly config: Pick<JarvisConfig, 'tasks'>,
  ) {
    this.modules = new Map(modules.map((module) => [module.name, module]));
  }

  async execute(command: ExecuteCommand): Promise<ExecuteResult> {
    const module = this.modules.get(command.module);
    if (!module) {
      throw new NotFoundError(`Unknown module "${command.module}"`, {
        known: [...this.modules.keys()],
      });
    }
    const action = actionOf(module, command.action);
    if (!action) {
      throw new NotFoundError(`Module "${command.module}" has no action "${command.action}"`, {
        known: Object.keys(module.actions),
      });
    }
    const executionId = randomUUID();
    const startedAt = new Date();
    const parameters = command.params ?? {};
    const run = (durationMs: number): ExecutionRun => ({
      executionId,
      domain: command.module,
      action: command.action,
      parameters,
      startedAt,
      durationMs,
    });
    this.logger.log(
      { executionId, module: command.module, action: command.action },
      'Execution started',
    );
    const timeoutMs = this.config.tasks.executeTimeoutMs;
    const outcome = await runAction(action, parameters, { timeoutMs });
    switch (outcome.outcome) {
      case 'succeeded':
        this.logger.log({ executionId, durationMs: outcome.durationMs }, 'Execution succeeded');
        this.records.publish(
          succeededExecution(run(outcome.durationMs), outcome.value.impactScore),
        );
        return { executionId, result: outcome.value, durationMs: outcome.durationMs };
      case 'cancelled':
        throw new ActionFailedError('Execution was cancelled', { executionId });
      case 'failed': {
        const { error, durationMs } = outcome;
        this.records.publish(failedExecution(run(durationMs), error));
        this.logger.warn({ executionId, durationMs, error: outcome.message }, 'Execution failed');
        if (outcome.timedOut) {
          throw new DownstreamTimeoutError(`${command.module}/${command.action}`, timeoutMs);
        }
        if (error instanceof JarvisError && !(error instanceof ActionFailedError)) throw error;
        throw new ActionFailedError(outcome.message, { executionId, durationMs });
      }
    }
  }
}
