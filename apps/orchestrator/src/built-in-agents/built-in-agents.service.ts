import { hostname } from 'node:os';
import {
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnModuleDestroy,
} from '@nestjs/common';
import { AgentWorker, type AgentWorkerDeps } from '@jarvis/agent-sdk';
import { JARVIS_CONFIG, type JarvisConfig } from '@jarvis/runtime';
import { EXECUTABLE_MODULES, ExecutableModule } from '../execution/executable-module';

/** What the built-in workers talk to: NATS, JetStream and, directly, the ledger. */
export const BUILT_IN_AGENT_DEPS = Symbol('BUILT_IN_AGENT_DEPS');

/**
 * Runs one agent worker per built-in module (diagnostics, system-health, http, ai) in the
 * orchestrator process, so a fresh install does real work. They stop, letting running
 * tasks finish, before the queue and the ledger do.
 */
@Injectable()
export class BuiltInAgents implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(BuiltInAgents.name);
  private readonly workers: AgentWorker[];

  constructor(
    @Inject(EXECUTABLE_MODULES) modules: ExecutableModule[],
    @Inject(BUILT_IN_AGENT_DEPS) deps: AgentWorkerDeps,
    @Inject(JARVIS_CONFIG) config: Pick<JarvisConfig, 'tasks' | 'shutdownTimeoutMs'>,
  ) {
    const instance = `${hostname()}:${process.pid}`;
    this.workers = modules.map(
      (agent) =>
        new AgentWorker(deps, {
          agent,
          instance,
          concurrency: config.tasks.agentConcurrency,
          queue: {
            ackWaitMs: config.tasks.ackWaitMs,
            maxAckPending: config.tasks.maxInFlightPerDomain,
          },
          taskTimeoutMs: config.tasks.timeoutMs,
          heartbeatIntervalMs: config.tasks.agentHeartbeatIntervalMs,
          shutdownGraceMs: Math.max(0, config.shutdownTimeoutMs - 1000),
        }),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.start()));
    this.logger.log(
      { domains: this.workers.map((worker) => worker.domain) },
      'Built-in agents started',
    );
  }

  async onModuleDestroy(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.stop()));
  }
}
