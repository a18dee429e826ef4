import { Module } from '@nestjs/common';
import { AgentWorkerDeps } from '@jarvis/agent-sdk';
import {
  JetStreamService,
  MessageBus,
  NatsConnectionHolder,
  SubjectNamer,
} from '@jarvis/messaging';
import { ExecutionModule } from '../execution/execution.module';
import { TaskLedgerService } from '../ledger/task-ledger.service';
import { TaskQueueModule } from '../queue/task-queue.module';
import { BUILT_IN_AGENT_DEPS, BuiltInAgents } from './built-in-agents.service';

@Module({
  imports: [ExecutionModule, TaskQueueModule],
  providers: [
    {
      provide: BUILT_IN_AGENT_DEPS,
      inject: [JetStreamService, NatsConnectionHolder, SubjectNamer, MessageBus, TaskLedgerService],
      useFactory: (
        jetStream: JetStreamService,
        connection: NatsConnectionHolder,
        namer: SubjectNamer,
        bus: MessageBus,
        ledger: TaskLedgerService,
      ): AgentWorkerDeps => ({ jetStream, connection, namer, bus, ledger }),
    },
    BuiltInAgents,
  ],
})
export class BuiltInAgentsModule {}
